import { z } from 'zod';
import { RoleSchema } from './identity.rules';

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(128).describe('密码'),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, '6 位数字 (6 digits)')
    .optional()
    .describe('动态验证码：已启用第二因素时必填 (TOTP code, when the account has a second factor)'),
});

export const SessionRestrictionSchema = z
  .enum(['password_change', 'totp_enrolment'])
  .nullable()
  .describe(
    '会话受限：只能修改已过期的密码，或只能绑定动态验证码 (the session may only change its password / enrol TOTP)',
  );

export const SessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  departmentCode: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  districtCode: z.string().nullable().optional().describe('区县人员的行政区划；空 = 市级 (district staff)'),
});

export const SessionResponse = z.object({
  user: SessionUserSchema,
  csrfToken: z
    .string()
    .describe('放入 X-CSRF-Token 请求头 (send as X-CSRF-Token on state-changing requests)'),
  restriction: SessionRestrictionSchema,
});

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(128).describe('当前密码'),
  newPassword: z.string().min(1).max(128).describe('新密码'),
});

export const TotpEnrollResponse = z.object({
  secret: z.string().describe('Base32 密钥，只显示这一次 (shown this once)'),
  uri: z.string().describe('otpauth:// 地址，供验证器应用扫描 (for the authenticator app)'),
});

export const TotpConfirmRequest = z.object({
  code: z
    .string()
    .regex(/^\d{6}$/, '6 位数字 (6 digits)')
    .describe('验证器应用显示的 6 位数字'),
});

export const ThrottleSchema = z.object({
  id: z.uuid(),
  scope: z
    .enum(['address', 'account_address'])
    .describe('address：该地址的所有用户名；account_address：该地址上的这个用户名'),
  accountName: z.string().nullable().describe('输入的用户名（可能并不存在）'),
  address: z.string(),
  failures: z.number().int(),
  startedAt: z.date(),
  endsAt: z.date(),
});

export const ThrottleListQuery = z.object({
  address: z.string().max(64).optional().describe('只看这个地址 (only this address)'),
});

export const ThrottleListResponse = z.object({ throttles: z.array(ThrottleSchema) });

export const ThrottleParams = z.object({ id: z.uuid() });

export const ThrottleClearedResponse = z.object({
  throttle: ThrottleSchema.extend({ clearedAt: z.date() }),
});

export const UserParams = z.object({ id: z.uuid() });

export const DepartmentsResponse = z.object({
  departments: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(['government', 'utility', 'review_body']),
      leadsStages: z.array(z.number().int()),
    }),
  ),
});
