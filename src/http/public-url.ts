/**
 * The one source of the links a document or an answer carries (certificate verification URL and QR
 * code, notifications): PUBLIC_BASE_URL, required in production. Never the request's Host or
 * X-Forwarded-Host, which a client chooses. Outside production an unset value falls back to this
 * server's own port on localhost.
 */
import type { Config } from '../config';

export function publicBaseUrl(config: Pick<Config, 'publicBaseUrl' | 'port'>): string {
  return (config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

/** HSTS and Secure cookies only make sense when the public address is https. */
export function isHttpsPublic(config: Pick<Config, 'publicBaseUrl' | 'port'>): boolean {
  return publicBaseUrl(config).startsWith('https://');
}
