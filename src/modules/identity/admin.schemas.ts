/** Administration (issue 15): request and response schemas for users, departments and enterprises. */
import { z } from 'zod';
import { RoleSchema } from './identity.rules';

const DistrictCode = z
  .string()
  .regex(/^[0-9]{6}$/, '6 位行政区划代码 (6-digit district code)')
  .describe('行政区划代码');
const DepartmentCode = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,15}$/, '小写字母开头，2–16 位小写字母或数字 (a-z then a-z/0-9, 2–16)')
  .describe('部门代码');
const Name = z.string().trim().min(1).max(100);

export const AdminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  departmentCode: z.string().nullable(),
  departmentName: z.string().nullable(),
  districtCode: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  disabled: z.boolean(),
  mfaRequired: z.boolean().describe('管理员要求启用动态验证码 (second factor required)'),
  passwordTemporary: z.boolean().describe('临时密码：下次登录须先修改 (must be changed at next login)'),
  totpEnabled: z.boolean(),
  locked: z.boolean(),
  createdAt: z.string(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const UserListQuery = z.object({
  role: RoleSchema.optional(),
  departmentCode: z.string().max(16).optional(),
  districtCode: DistrictCode.optional(),
  q: z.string().trim().max(64).optional().describe('用户名或姓名包含 (name contains)'),
});
export const UserListResponse = z.object({ users: z.array(AdminUser) });
export const UserResponse = z.object({ user: AdminUser });

export const CreateUserRequest = z.object({
  username: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/,
      '3–64 位字母、数字、点、下划线或短横线 (letters, digits, . _ -)',
    )
    .describe('用户名'),
  displayName: Name.describe('姓名'),
  role: RoleSchema,
  departmentCode: DepartmentCode.nullable().optional(),
  enterpriseId: z.string().uuid().nullable().optional(),
  districtCode: DistrictCode.nullable()
    .optional()
    .describe('区县人员（窗口、监察）的行政区划；区县部门的人员取部门所在区县 (district staff)'),
  password: z
    .string()
    .min(1)
    .max(128)
    .describe('初始密码：首次登录须修改 (initial password, changed at first login)'),
  mfaRequired: z.boolean().default(false),
});
export type CreateUserInput = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.object({
  displayName: Name.describe('姓名'),
  role: RoleSchema,
  departmentCode: DepartmentCode.nullable(),
  enterpriseId: z.string().uuid().nullable(),
  districtCode: DistrictCode.nullable(),
  mfaRequired: z.boolean(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserRequest>;

export const DisableUserRequest = z.object({
  disabled: z.boolean(),
  reason: z.string().trim().min(1).max(500).describe('原因 (audited)'),
});

export const ResetPasswordRequest = z.object({
  password: z
    .string()
    .min(1)
    .max(128)
    .describe('临时密码：用户登录后须立即修改 (temporary; changed at next login)'),
});

export const AdminIdParams = z.object({ id: z.string().uuid() });
export const DepartmentParams = z.object({ code: DepartmentCode });

export const AdminDepartment = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['government', 'utility', 'review_body']),
  leadsStages: z.array(z.number().int()),
  districtCode: z.string().nullable().describe('区县部门所在行政区划；空 = 市级部门'),
  parentCode: z.string().nullable().describe('区县部门对应的市级部门（条线）'),
  active: z.boolean(),
  users: z.number().int().describe('人员数'),
});
export const AdminDepartmentsResponse = z.object({ departments: z.array(AdminDepartment) });
export const AdminDepartmentResponse = z.object({ department: AdminDepartment });

const Stages = z.array(z.number().int().min(1).max(5)).max(5).describe('牵头的阶段');
export const CreateDepartmentRequest = z.object({
  code: DepartmentCode,
  name: Name.describe('部门名称'),
  kind: z.enum(['government', 'utility', 'review_body']).default('government'),
  leadsStages: Stages.default([]),
  districtCode: DistrictCode.nullable().default(null),
  parentCode: DepartmentCode.nullable().default(null),
});
export type CreateDepartmentInput = z.infer<typeof CreateDepartmentRequest>;

export const UpdateDepartmentRequest = z.object({
  name: Name.describe('部门名称'),
  leadsStages: Stages,
  active: z.boolean(),
});
export type UpdateDepartmentInput = z.infer<typeof UpdateDepartmentRequest>;

export const EnterpriseStatus = z
  .enum(['pending', 'confirmed', 'rejected'])
  .describe('待确认 / 已确认 / 已退回');
export const AdminEnterprise = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string(),
  legalPerson: z.string().nullable(),
  contactPhone: z.string().nullable(),
  status: EnterpriseStatus,
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export const EnterpriseListQuery = z.object({
  status: EnterpriseStatus.optional(),
  q: z.string().trim().max(64).optional(),
});
export const EnterpriseListResponse = z.object({ enterprises: z.array(AdminEnterprise) });
export const EnterpriseResponse = z.object({ enterprise: AdminEnterprise });

const CreditCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().length(18, '18 位 (18 characters)'))
  .describe('统一社会信用代码 (GB 32100)');

export const EnterpriseRegistrationRequest = z.object({
  name: Name.describe('企业名称'),
  creditCode: CreditCode,
  legalPerson: Name.describe('法定代表人'),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{7,20}$/, '电话号码 (phone number)')
    .describe('联系电话'),
  username: CreateUserRequest.shape.username,
  displayName: Name.describe('经办人姓名'),
  password: z.string().min(1).max(128),
});
export type EnterpriseRegistrationInput = z.infer<typeof EnterpriseRegistrationRequest>;
export const EnterpriseRegistrationResponse = z.object({
  enterprise: AdminEnterprise,
  username: z.string(),
  message: z.string(),
});

export const ReviewEnterpriseRequest = z.object({
  decision: z.enum(['confirm', 'reject']).describe('确认 / 退回'),
  note: z.string().trim().max(500).optional(),
});
