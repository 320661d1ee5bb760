/**
 * The relying party's conversation with the identity provider, through openid-client (v6): discovery
 * (cached per process; a failure is forgotten so the next login tries again), the authorization URL
 * with PKCE (S256), state and nonce, and the code exchange, whose ID token openid-client validates
 * (signature by the provider's JWKS, iss, aud, exp/iat, nonce; the authorization response's state and iss).
 */
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config';

const TIMEOUT_MS = 10_000;
const configurations = new WeakMap<OidcConfig, Promise<oidc.Configuration>>();

function configurationOf(c: OidcConfig): Promise<oidc.Configuration> {
  let found = configurations.get(c);
  if (!found) {
    found = oidc.discovery(
      new URL(c.issuerUrl),
      c.clientId,
      { client_secret: c.clientSecret, redirect_uris: [c.redirectUrl] },
      oidc.ClientSecretBasic(c.clientSecret),
      {
        execute: c.allowInsecure && c.issuerUrl.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        [oidc.customFetch]: (url, options) =>
          fetch(url, { ...options, signal: AbortSignal.timeout(TIMEOUT_MS) } as RequestInit),
      },
    );
    found.catch(() => configurations.delete(c));
    configurations.set(c, found);
  }
  return found;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function authorizationRequest(c: OidcConfig): Promise<AuthorizationRequest> {
  const configuration = await configurationOf(c);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: c.redirectUrl,
    scope: c.scopes,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.toString(), state, nonce, codeVerifier };
}

export interface VerifiedLogin {
  issuer: string;
  subject: string;
  /** The ID token's claims, with the userinfo endpoint's added where the ID token lacks them. */
  claims: Record<string, unknown>;
}

/**
 * Exchanges the code of `callbackQuery` (the raw query string the provider sent back) and returns the
 * validated claims. Throws openid-client's errors when any check fails.
 */
export async function exchangeCode(
  c: OidcConfig,
  callbackQuery: string,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<VerifiedLogin> {
  const configuration = await configurationOf(c);
  // The URL the provider redirected to, rebuilt from configuration (never from the request's Host).
  const current = new URL(c.redirectUrl);
  current.search = callbackQuery;
  const tokens = await oidc.authorizationCodeGrant(configuration, current, {
    pkceCodeVerifier: checks.codeVerifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims()!;
  let claims: Record<string, unknown> = { ...idClaims };
  if (configuration.serverMetadata().userinfo_endpoint && tokens.access_token) {
    // Standard providers put profile claims in userinfo for the code flow; the ID token's win.
    const info = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    claims = { ...info, ...idClaims };
  }
  return { issuer: idClaims.iss, subject: idClaims.sub, claims };
}

/** Forgets the cached discovery (tests point one process at several providers). */
export function forgetProvider(c: OidcConfig) {
  configurations.delete(c);
}
