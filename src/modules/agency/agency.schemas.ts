import { z } from 'zod';
import { IsoDateSchema } from '../calendar/calendar.schemas';
import { consentScopes } from './agency.rules';

const Uuid = z.uuid({ message: '须为 UUID (must be a UUID)' });

export const ConsentIdParams = z.object({ id: Uuid });

export const ConsentScopeSchema = z
  .enum(consentScopes)
  .describe('委托事项：register_project 登记项目 / apply_stage 阶段申报');

export const GrantConsentRequest = z.object({
  agentUserId: Uuid.describe('受托的帮办代办人员'),
  scopes: z
    .array(ConsentScopeSchema)
    .min(1, { message: '至少选择一项委托事项 (choose at least one)' })
    .max(2)
    .describe('委托事项'),
  validUntil: IsoDateSchema.describe('委托截止日（含当日，北京时间）'),
  note: z.string().trim().max(500).optional().describe('说明，如委托书编号'),
});
export type GrantConsentInput = z.infer<typeof GrantConsentRequest>;

export const RevokeConsentRequest = z.object({
  reason: z.string().trim().max(500).optional().describe('撤销原因'),
});

export const ConsentViewSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string().describe('委托的建设单位'),
  agentUserId: z.string(),
  agentName: z.string().describe('受托人'),
  scopes: z.array(ConsentScopeSchema),
  scopeNames: z.array(z.string()).describe('委托事项（中文）'),
  validUntil: z.string().describe('截止日 YYYY-MM-DD'),
  note: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
  statusName: z.string().describe('有效 / 已到期 / 已撤销'),
  grantedAt: z.string(),
  grantedByName: z.string().describe('委托人（企业经办人）'),
  revokedAt: z.string().nullable(),
  revokedByName: z.string().nullable(),
  revokeReason: z.string().nullable().describe('superseded = 被新的委托取代'),
});
export type ConsentView = z.infer<typeof ConsentViewSchema>;

export const ConsentListResponse = z.object({ consents: z.array(ConsentViewSchema) });

export const AgentListResponse = z.object({
  agents: z.array(
    z.object({ id: z.string(), displayName: z.string(), departmentName: z.string().nullable() }),
  ),
});
