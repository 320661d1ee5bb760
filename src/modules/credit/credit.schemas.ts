/** Zod schemas of the credit API: requests and responses (types, validation, OpenAPI). */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const SubjectKindSchema = z
  .enum(['enterprise', 'practitioner', 'intermediary', 'design_org', 'review_org'])
  .describe('主体类型：企业/执业人员/中介服务机构/设计单位/施工图审查机构');
export const RecordKindSchema = z
  .enum([
    'commitment_broken',
    'deficiency_overdue',
    'approval_revoked',
    'false_materials',
    'inspection_failed',
    'department_entry',
    'on_time_completion',
    'award',
    'service_overdue',
    'service_complaint',
  ])
  .describe('记录类别');
export const SeveritySchema = z.enum(['serious', 'general', 'good']).describe('严重失信/一般失信/良好');
const GradeSchema = z.enum(['A', 'B', 'C', 'D']);
const ListSchema = z.enum(['black', 'red']);
const ListingStatusSchema = z.enum(['noticed', 'listed', 'cancelled', 'removed', 'expired']);
const TriggerSchema = z.enum(['black', 'red', 'grade_A', 'grade_B', 'grade_C', 'grade_D']);
const EffectSchema = z.enum([
  'deny_commitment',
  'deny_deficiency',
  'flag_window',
  'priority',
  'inspection_ratio',
]);

export const SubjectSchema = z.object({
  id: z.string(),
  kind: SubjectKindSchema,
  name: z.string(),
  creditCode: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  certificateNo: z.string().nullable(),
  personalIdMasked: z.string().nullable().describe('身份证号（脱敏）'),
  profession: z.string().nullable(),
  employerSubjectId: z.string().nullable(),
});

export const CreateSubjectSchema = z.object({
  kind: z.enum(['practitioner', 'intermediary', 'design_org', 'review_org']),
  name: text(200),
  creditCode: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码为18位')
    .optional(),
  certificateNo: text(64).optional(),
  personalId: z
    .string()
    .regex(/^\d{17}[\dX]$/, '身份证号为18位')
    .optional(),
  profession: text(64).optional().describe('注册建筑师/注册结构工程师…'),
  employerSubjectId: z.uuid().optional(),
});

export const RecordSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  kind: RecordKindSchema,
  severity: SeveritySchema,
  reason: z.string(),
  basis: z.string(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  departmentCode: z.string().nullable(),
  evidenceFileId: z.string().nullable(),
  validFrom: z.string(),
  expiresOn: z.string().nullable(),
  published: z.boolean(),
  repairedOn: z.string().nullable(),
  createdAt: z.string(),
  incident: z
    .string()
    .nullable()
    .optional()
    .describe('同一事件（如同一申报的多项容缺材料）的记录共享此标识，评级与名单规则中只计一次'),
  withdrawnOn: z
    .string()
    .nullable()
    .optional()
    .describe('撤回日期：所记录的行为经纠错撤销（如撤销决定有误），记录保留但不再计入评级、名单与公示'),
  withdrawnReason: z.string().nullable().optional().describe('撤回理由'),
});

export const EnterRecordSchema = z.object({
  subjectId: z.uuid(),
  kind: RecordKindSchema,
  severity: SeveritySchema,
  reason: text(2000),
  basis: text(1000).describe('法律依据'),
  evidenceFileId: z.uuid().optional().describe('证据材料（已上传文件）'),
  validFrom: date.optional(),
  expiresOn: date.optional(),
  published: z.boolean().default(true),
});

const RequestSchema = z.object({
  id: z.string(),
  listingId: z.string(),
  status: z.string(),
  text: z.string(),
  decision: z.string().nullable(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const ListingSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  list: ListSchema,
  status: ListingStatusSchema,
  reason: z.string(),
  basis: z.string(),
  recordIds: z.array(z.string()),
  noticedOn: z.string(),
  objectionUntil: z.string().describe('异议期截止日（工作日）'),
  listedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
});

const MeasureSchema = z.object({
  code: z.string(),
  trigger: TriggerSchema,
  effect: EffectSchema,
  value: z.number().nullable(),
  basis: z.string(),
});

const GradeResultSchema = z.object({
  grade: GradeSchema,
  score: z.number(),
  ruleVersion: z.number().int(),
  reasons: z.array(z.string()),
});

export const SubjectDetailSchema = z.object({
  subject: SubjectSchema,
  grade: GradeResultSchema,
  measures: z.array(MeasureSchema),
  denyCommitment: z.string().nullable(),
  denyDeficiency: z.string().nullable(),
  priority: z.boolean(),
  flagged: z.boolean(),
  listings: z.array(
    ListingSchema.extend({ objections: z.array(RequestSchema), repairs: z.array(RequestSchema) }),
  ),
  records: z.array(RecordSchema),
});

export const DeskSchema = z.object({
  listings: z.array(
    ListingSchema.extend({
      subjectName: z.string(),
      subjectKind: SubjectKindSchema,
      creditCode: z.string().nullable(),
      windowOpen: z.boolean(),
    }),
  ),
  objections: z.array(RequestSchema),
  repairs: z.array(RequestSchema),
});

export const TextBody = (field: 'reason' | 'measures') => z.object({ [field]: text(2000) });
export const RequestViewSchema = RequestSchema;

export const DecisionSchema = z.object({
  outcome: z.enum(['upheld', 'rejected']),
  decision: text(2000),
});
export const RepairDecisionSchema = z.object({
  outcome: z.enum(['approved', 'rejected']),
  decision: text(2000),
});
export const DecisionResultSchema = z.object({ id: z.string(), status: z.string(), listing: ListingSchema });

export const ListingConditionSchema = z.object({
  type: z.enum(['bad_records', 'clean_grade']),
  severities: z
    .array(SeveritySchema.exclude(['good']))
    .min(1)
    .optional(),
  minCount: z.number().int().min(1).max(100).optional(),
  months: z.number().int().min(1).max(120),
  grade: GradeSchema.optional(),
});

export const ListingRuleInput = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,40}$/),
  list: ListSchema,
  name: text(200),
  condition: ListingConditionSchema,
  objectionWorkingDays: z.number().int().min(0).max(60),
  listingMonths: z.number().int().min(1).max(120),
  basis: text(1000),
  active: z.boolean().default(true),
});

export const GradeParamsSchema = z.object({
  base: z.number().min(0).max(200),
  deduct: z.object({ serious: z.number().min(0).max(200), general: z.number().min(0).max(200) }),
  bonus: z.object({ good: z.number().min(0).max(100) }),
  maxBonus: z.number().min(0).max(100),
  months: z.number().int().min(1).max(120),
  thresholds: z.object({ A: z.number(), B: z.number(), C: z.number() }),
  blackListedGrade: z.literal('D'),
});

export const MeasureInput = z.object({
  trigger: TriggerSchema,
  effect: EffectSchema,
  value: z.number().min(0).max(1).nullable().default(null),
  basis: text(1000),
  active: z.boolean().default(true),
});

export const RulesSchema = z.object({
  listingRules: z.array(ListingRuleInput.extend({ id: z.string(), version: z.number().int() })),
  gradeRules: z.array(
    z.object({ version: z.number().int(), params: GradeParamsSchema, description: z.string() }),
  ),
  measures: z.array(MeasureSchema.extend({ active: z.boolean(), updatedAt: z.string() })),
});

// ---- 双随机

export const InspectorSchema = z.object({
  id: z.string(),
  departmentCode: z.string(),
  name: z.string(),
  badgeNo: z.string(),
  active: z.boolean(),
  ties: z.array(z.object({ subjectId: z.string(), reason: z.string() })),
});

export const DrawInput = z.object({
  departmentCode: z.string().min(1).max(16),
  poolKind: z
    .enum(['commitment', 'construction', 'exemption'])
    .default('commitment')
    .describe(
      '抽查对象库：commitment 告知承诺审批 / construction 在建项目（已发施工许可、未竣工） / exemption 施工图审查告知承诺免审项目',
    ),
  inspectorsPerObject: z.number().int().min(1).max(5).default(2),
  seed: z
    .string()
    .regex(/^[0-9a-zA-Z-]{8,128}$/)
    .optional()
    .describe('随机种子（不填则系统生成128位随机数）'),
});

export const DrawSummarySchema = z.object({
  id: z.string(),
  departmentCode: z.string(),
  poolKind: z.string(),
  seed: z.string(),
  poolHash: z.string(),
  drawnOn: z.string(),
  publishBy: z.string(),
  picked: z.number().int(),
  recorded: z.number().int(),
  failed: z.number().int(),
});

export const DrawViewSchema = z.object({
  id: z.string(),
  departmentCode: z.string(),
  poolKind: z.string(),
  algorithm: z.string(),
  seed: z.string(),
  poolHash: z.string(),
  pool: z.array(
    z.object({
      objectId: z.string(),
      subjectId: z.string(),
      subjectName: z.string(),
      label: z.string(),
      grade: GradeSchema,
      red: z.boolean().optional().describe('抽查时在红名单：按红名单比例抽取'),
      projectId: z.string().optional(),
    }),
  ),
  inspectors: z.array(
    z.object({
      inspectorId: z.string(),
      name: z.string(),
      badgeNo: z.string(),
      tiedSubjectIds: z.array(z.string()),
    }),
  ),
  ratios: z.record(z.string(), z.number()),
  inspectorsPerObject: z.number().int(),
  result: z.array(
    z.object({
      objectId: z.string(),
      inspectorIds: z.array(z.string()),
      inspectorNames: z.array(z.string()),
      outcome: z.string().nullable(),
      findings: z.string().nullable(),
      publishedOn: z.string().nullable(),
    }),
  ),
  drawnOn: z.string(),
  publishBy: z.string(),
  publishOverdue: z.boolean(),
  reproducible: z.boolean(),
});

export const DrawResultInput = z.object({
  outcome: z.enum(['passed', 'correction', 'revoked']).describe('合格/责令整改/撤销'),
  findings: text(2000),
  legalBasis: text(500).optional().describe('撤销的法律依据（outcome=revoked 时必填，写入撤销决定）'),
  falseMaterials: z
    .array(
      z.object({
        name: text(100).describe('注册执业人员姓名'),
        certificateNo: text(64).describe('注册证书编号'),
        profession: text(100).optional().describe('注册类别，如一级注册建筑师'),
      }),
    )
    .max(20)
    .optional()
    .describe('检查中发现提供虚假材料的注册执业人员（各记一条失信记录）'),
});

// ---- publication

const PublicListingSchema = z.object({
  id: z.string(),
  subjectName: z.string(),
  subjectKind: SubjectKindSchema,
  creditCode: z.string().nullable(),
  certificateNo: z.string().nullable(),
  reason: z.string(),
  basis: z.string(),
  listedOn: z.string(),
  expiresOn: z.string().nullable(),
});

export const PublicCreditSchema = z.object({
  asOf: z.string(),
  blackList: z.array(PublicListingSchema),
  redList: z.array(PublicListingSchema),
  dishonestActs: z.array(
    z.object({
      id: z.string(),
      subjectName: z.string(),
      subjectKind: SubjectKindSchema,
      creditCode: z.string().nullable(),
      certificateNo: z.string().nullable(),
      kind: RecordKindSchema,
      kindName: z.string(),
      severity: SeveritySchema,
      reason: z.string(),
      basis: z.string(),
      validFrom: z.string(),
      expiresOn: z.string().nullable(),
      departmentCode: z.string().nullable(),
    }),
  ),
});

export const ExportSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'done', 'failed']),
  format: z.string(),
  rowCount: z.number().int().nullable().optional(),
  requestedAt: z.string().optional(),
  finishedAt: z.string().nullable().optional(),
});

export const StandingQuery = z.object({ enterprise: z.uuid().describe('企业编号 enterprise id') });

export const StandingSchema = z.object({
  enterpriseId: z.string(),
  subjectId: z.string().nullable(),
  grade: GradeSchema,
  black: z.boolean().describe('已列入失信黑名单'),
  red: z.boolean().describe('已列入守信红名单'),
  priority: z.boolean().describe('绿色通道：优先办理（红名单或A级）'),
  flagged: z.boolean().describe('窗口重点关注（黑名单）'),
  reasons: z.array(z.string()).describe('适用的激励或惩戒措施及其依据'),
});
