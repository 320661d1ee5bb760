/**
 * `npm run idp`: the local stand-in for 河南政务服务网统一身份认证 (src/dev/local-idp.ts), for development.
 * Then start the server with the OIDC_* values this prints. Persons (password Demo#2026zz): see idpPeople.
 *   IDP_PORT (default 4010), IDP_REDIRECT_URL (default http://localhost:3000/api/auth/oidc/callback),
 *   IDP_CLIENT_ID (zz-approval), IDP_CLIENT_SECRET (dev-secret).
 */
import { idpPeople, startLocalIdp } from '../src/dev/local-idp';

const clientId = process.env.IDP_CLIENT_ID ?? 'zz-approval';
const clientSecret = process.env.IDP_CLIENT_SECRET ?? 'dev-secret';
const redirectUrl = process.env.IDP_REDIRECT_URL ?? 'http://localhost:3000/api/auth/oidc/callback';
const idp = await startLocalIdp({
  host: process.env.IDP_HOST ?? '127.0.0.1',
  port: Number(process.env.IDP_PORT ?? 4010),
  client: { clientId, clientSecret, redirectUris: [redirectUrl] },
});
console.log(`local identity provider at ${idp.issuer}; start the server with:
  OIDC_ISSUER_URL=${idp.issuer} OIDC_CLIENT_ID=${clientId} OIDC_CLIENT_SECRET=${clientSecret} OIDC_REDIRECT_URL=${redirectUrl}
persons (password Demo#2026zz):`);
for (const p of idpPeople) {
  const maps = p.staff_id ? `工号 ${p.staff_id}` : `统一社会信用代码 ${p.uscc}`;
  console.log(`  ${p.login.padEnd(12)} ${p.name}  ${maps}  amr ${p.amr.join('+')}`);
}
const stop = () => void idp.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
