import { z } from 'zod';

export const ProjectIdParams = z.object({ id: z.uuid().describe('项目 id (project id)') });

/** Any string up to 100 characters: an unknown or malformed id is an answer (valid:false), not an error. */
export const CertificateIdParams = z.object({
  id: z.string().min(1).max(100).describe('电子证照 id (certificate id)'),
});

export const CertificateSummarySchema = z.object({
  id: z.string().describe('证照 id, also the key of the public verification page'),
  identifier: z.string().describe('电子证照标识 1.2.156.3005.2.<类型>.<颁发机构>.<流水号>.<版本>.<校验位>'),
  type: z.string().describe('证照类型 certificateType'),
  title: z.string().describe('证照名称 (the item’s result document type)'),
  holderName: z.string().describe('持证单位'),
  issuedAt: z.string().describe('发证时间 ISO 8601'),
  validUntil: z.string().describe('有效期至 YYYY-MM-DD; 9999-01-01 = 长期有效'),
  simulated: z.boolean().describe('模拟审批 (not yet formal)'),
  revoked: z.boolean().describe('已撤销'),
  suspended: z.boolean().optional().describe('已中止：所依据的审查结论或承诺已撤销'),
  verifyUrl: z.string().describe('公开核验页面 public verification page (the QR code target)'),
});

export const CertificateListResponse = z.object({ certificates: z.array(CertificateSummarySchema) });

export const VerifyResponse = z.object({
  valid: z
    .boolean()
    .describe(
      'true only if the certificate exists, is not revoked or expired, and its SM2 signature verifies',
    ),
  id: z.string(),
  identifier: z.string().optional(),
  type: z.string().optional(),
  title: z.string().optional(),
  holderName: z.string().optional(),
  issuedAt: z.string().optional(),
  validUntil: z.string().optional(),
  longTerm: z.boolean().optional().describe('长期有效 (validUntil is the no-expiry date)'),
  simulated: z.boolean().optional(),
  revoked: z.boolean().optional(),
  details: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .optional()
    .describe(
      '证照载明事项：国家式样的字段（如施工许可证的建设规模、合同价格、参建单位）及项目信息，按证面顺序',
    ),
  revokedAt: z.string().optional().describe('撤销时间 (ISO)'),
  revokedOn: z.string().optional().describe('撤销日期（北京时间 YYYY-MM-DD）'),
  status: z
    .enum(['valid', 'simulated', 'revoked', 'expired', 'invalid', 'suspended'])
    .optional()
    .describe(
      '有效 / 模拟审批（前提条件具备并经部门确认后转正式）/ 已撤销 / 已过期 / 无效 / 已中止（所依据的结论已撤销）',
    ),
  statusText: z.string().optional().describe('状态（中文）'),
  reason: z.string().optional().describe('why the certificate is not valid (中文 (English))'),
});
export type VerifyResult = z.infer<typeof VerifyResponse>;
