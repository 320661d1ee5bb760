/**
 * GET /api/keys (anonymous): every public key this system signs with (certificates, audit checkpoints).
 * GET /api/certificates/:id/signed: the certificate's signed bytes, signature and key as JSON; and
 * …/signed/msg.bin, sig.der, key.pem: the same as the files `openssl pkeyutl -verify` reads (README).
 */
import { z } from 'zod';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { CertificateIdParams } from './certificate.schemas';
import { listPublicKeys, signedCertificate } from './certificate-keys.service';

const Scheme = z.object({
  algorithm: z.string(),
  digest: z.string(),
  distinguishingId: z.string().describe('SM2 用户标识 (OpenSSL -pkeyopt distid:…)'),
  encoding: z.string(),
});

export const KeysResponse = z.object({
  scheme: Scheme,
  keys: z.array(
    z.object({
      id: z.string(),
      purpose: z.enum(['certificate', 'audit']).describe('certificate: 电子证照; audit: 审计检查点'),
      created: z.string().describe('ISO 8601'),
      current: z.boolean().describe('signs now (otherwise kept to verify what it signed)'),
      publicKey: z.string().describe('04||x||y hex'),
      pem: z.string().describe('SubjectPublicKeyInfo PEM (OpenSSL)'),
    }),
  ),
});

export const SignedResponse = z.object({
  id: z.string(),
  identifier: z.string(),
  keyId: z.string(),
  scheme: Scheme,
  messageBase64: z.string().describe('the exact signed bytes: UTF-8 canonical JSON of the content'),
  signatureHex: z.string().describe('DER'),
  publicKeyPem: z.string().nullable(),
  openssl: z.string().describe('the command that verifies the three parts saved as files'),
});

type Signed = Awaited<ReturnType<typeof signedCertificate>>;

export const OPENSSL_VERIFY =
  'openssl pkeyutl -verify -pubin -inkey key.pem -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in msg.bin -sigfile sig.der';

export function certificateKeyRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/keys',
    {
      schema: {
        tags: ['certificates'],
        summary: '公钥 public keys (certificates and audit checkpoints), no login',
        response: { 200: KeysResponse },
      },
    },
    async () => listPublicKeys(ctx.db),
  );

  app.get(
    '/api/certificates/:id/signed',
    {
      schema: {
        tags: ['certificates'],
        summary: '电子证照的签名原文与签名 signed bytes and SM2 signature (verify with OpenSSL), no login',
        params: CertificateIdParams,
        response: { 200: SignedResponse },
      },
    },
    async (request, reply) => {
      const s = await signedCertificate(ctx.db, request.params.id);
      reply.header('Cache-Control', 'no-store');
      return {
        id: s.id,
        identifier: s.identifier,
        keyId: s.keyId,
        scheme: s.scheme,
        messageBase64: s.message.toString('base64'),
        signatureHex: s.signature.toString('hex'),
        publicKeyPem: s.publicKeyPem,
        openssl: OPENSSL_VERIFY,
      };
    },
  );

  // The same three parts as the files OpenSSL reads (like the PDF route: bytes, no JSON body).
  const parts = {
    'msg.bin': ['application/octet-stream', (s: Signed) => s.message],
    'sig.der': ['application/octet-stream', (s: Signed) => s.signature],
    'key.pem': ['application/x-pem-file', (s: Signed) => s.publicKeyPem ?? ''],
  } as const;
  for (const [name, [type, pick]] of Object.entries(parts)) {
    app.get(
      `/api/certificates/:id/signed/${name}`,
      {
        schema: {
          tags: ['certificates'],
          summary: `签名核验文件 ${name} for openssl pkeyutl -verify, no login`,
          params: CertificateIdParams,
          produces: [type],
          response: { 200: fileResponse(`签名核验文件 ${name}`, type) },
        },
      },
      async (request, reply) => {
        const s = await signedCertificate(ctx.db, request.params.id);
        return reply
          .type(type)
          .header('Cache-Control', 'no-store')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .send(pick(s));
      },
    );
  }
}
