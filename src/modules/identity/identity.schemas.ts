import { z } from 'zod';
import { RoleSchema } from './identity.rules';

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(128).describe('密码'),
});

export const SessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  departmentCode: z.string().nullable(),
  enterpriseName: z.string().nullable(),
});

export const SessionResponse = z.object({
  user: SessionUserSchema,
  csrfToken: z
    .string()
    .describe('放入 X-CSRF-Token 请求头 (send as X-CSRF-Token on state-changing requests)'),
});

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
