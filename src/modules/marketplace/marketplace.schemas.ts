/** Zod schemas of the marketplace API: requests and responses (types, validation, OpenAPI). */
import { z } from 'zod';
import { EnterpriseRegistrationRequest } from '../identity/admin.schemas';

const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.iso.date().describe('日期 YYYY-MM-DD');
const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,63}$/, '代码只能是大写字母、数字和连字符');
const money = z.number().min(0).max(1_000_000_000).describe('金额（元）');

export const ServiceListSchema = z
  .enum(['intermediary', 'publicity', 'technical_review'])
  .describe('清单：中介服务事项/保留的公示事项/保留的技术审查事项');

export const ServiceInputSchema = z.object({
  code,
  list: ServiceListSchema,
  name: text(200),
  basis: text(500).describe('设立依据'),
  itemCodes: z.array(code).max(50).describe('需要该服务的审批事项'),
  standard: text(2000).describe('服务标准'),
  timeLimitDays: z.number().int().min(1).max(365).describe('服务时限（工作日）'),
  feeStandard: text(500).describe('收费标准'),
  feeMaxYuan: money.nullable().describe('收费上限（元）；不收费为 null'),
  chargesApplicant: z.boolean().describe('是否向申请人收费（公示、技术审查事项不得收费）'),
  materialCode: z
    .string()
    .regex(/^M_[A-Z0-9_]+$/)
    .nullable()
    .describe('成果作为项目申报材料时的材料代码'),
  active: z.boolean(),
});

export const ServiceSchema = ServiceInputSchema.extend({ listName: z.string() });

export const QualificationSchema = z.object({
  id: z.string(),
  name: z.string(),
  grade: z.string(),
  certificateNo: z.string(),
  issuer: z.string(),
  expiresOn: z.string(),
});

export const OfferSchema = z.object({
  id: z.string(),
  serviceCode: z.string(),
  qualificationId: z.string(),
  feeYuan: z.number(),
  committedDays: z.number(),
  commitment: z.string(),
  status: z.enum(['pending', 'listed', 'unlisted']),
  unlistedReason: z.string().nullable(),
});

export const IntermediarySchema = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  address: z.string(),
  status: z.enum(['pending', 'listed', 'rejected', 'suspended']),
  statusName: z.string(),
  reviewNote: z.string().nullable(),
  qualifications: z.array(QualificationSchema),
  offers: z.array(OfferSchema),
});

export const RegisterSchema = z.object({
  name: text(200),
  creditCode: z.string().trim().length(18).describe('统一社会信用代码 (GB 32100)'),
  contactName: text(50),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{7,20}$/, '电话号码格式不正确'),
  address: text(300),
});

export const QualificationInputSchema = z.object({
  name: text(100).describe('资质名称'),
  grade: text(20).describe('资质等级'),
  certificateNo: text(64),
  issuer: text(100).describe('发证机关'),
  expiresOn: date,
});

export const OfferInputSchema = z.object({
  serviceCode: code,
  qualificationId: z.uuid(),
  feeYuan: money,
  committedDays: z.number().int().min(1).max(365).describe('承诺时限（工作日，服务承诺制）'),
  commitment: text(1000).describe('服务承诺'),
});

/**
 * 中介机构自助入驻 (public, no login): the enterprise and its first account as in the enterprise
 * self-registration (identity), plus the organisation's contact, qualifications and offers; all wait for
 * 政务办's review, the account disabled until then.
 */
export const SelfRegistrationSchema = EnterpriseRegistrationRequest.extend({
  contactName: text(50).describe('联系人'),
  address: text(300).describe('办公地址'),
  qualifications: z.array(QualificationInputSchema).min(1).max(10).describe('资质（等级、有效期）'),
  offers: z
    .array(
      OfferInputSchema.omit({ qualificationId: true }).extend({
        qualificationIndex: z
          .number()
          .int()
          .min(0)
          .max(9)
          .describe('所依据的资质（qualifications 中的序号）'),
      }),
    )
    .min(1)
    .max(20)
    .describe('提供的服务：收费（不超过标准）与服务承诺'),
});

export const SelfRegistrationResultSchema = z.object({
  intermediary: IntermediarySchema,
  username: z.string(),
  message: z.string(),
});

export const ReviewSchema = z.object({
  decision: z.enum(['list', 'reject', 'suspend', 'reinstate']),
  note: text(1000),
});

export const NeedInputSchema = z.object({
  projectId: z.uuid(),
  serviceCode: code,
  description: text(2000),
  budgetYuan: z.number().positive().max(1_000_000_000),
  dueOn: date.describe('要求完成日期'),
});

const ExclusionSchema = z.object({ intermediaryId: z.string(), name: z.string(), reason: z.string() });

export const NeedSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  enterpriseId: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  description: z.string(),
  budgetYuan: z.number(),
  dueOn: z.string(),
  status: z.enum(['open', 'quoting', 'selected', 'contracted', 'cancelled']),
  statusName: z.string(),
  method: z.enum(['direct', 'draw', 'quote']).nullable(),
  quoteOpensAt: z.string().nullable(),
  quotesOpened: z.boolean(),
  quoteCount: z.number(),
  quotes: z.array(
    z.object({
      id: z.string(),
      intermediaryId: z.string(),
      name: z.string(),
      amountYuan: z.number(),
      committedDays: z.number(),
      note: z.string(),
      submittedAt: z.string(),
    }),
  ),
  myQuoteSubmitted: z.boolean(),
  draw: z
    .object({
      algorithm: z.string(),
      seed: z.string(),
      poolHash: z.string(),
      pool: z.array(
        z.object({ offerId: z.string(), intermediaryId: z.string(), name: z.string(), feeYuan: z.number() }),
      ),
    })
    .nullable(),
  excluded: z.array(ExclusionSchema),
  selected: z
    .object({
      offerId: z.string(),
      intermediaryId: z.string(),
      name: z.string(),
      feeYuan: z.number(),
      committedDays: z.number(),
    })
    .nullable(),
  selectionNote: z.string().nullable(),
  cancelReason: z.string().nullable(),
  engagementId: z.string().nullable(),
  createdAt: z.string(),
});

export const SelectSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('direct'), offerId: z.uuid(), note: z.string().trim().max(500).optional() }),
  z.object({
    method: z.literal('draw'),
    seed: z
      .string()
      .regex(/^[0-9a-f]{16,64}$/, '种子为 16–64 位十六进制')
      .optional()
      .describe('不填则由系统生成并记录'),
  }),
  z.object({ method: z.literal('quote'), opensAt: z.iso.datetime({ offset: true }).describe('开标时间') }),
]);

export const QuoteInputSchema = z.object({
  amountYuan: z.number().positive().max(1_000_000_000),
  committedDays: z.number().int().min(1).max(365),
  note: z.string().trim().max(500).optional(),
});

export const NeedActionSchema = z.object({ action: z.enum(['reselect', 'cancel']), reason: text(1000) });

export const ContractSchema = z.object({
  contractNo: text(64),
  amountYuan: money,
  signedOn: date,
});

export const EngagementSchema = z.object({
  id: z.string(),
  needId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  materialCode: z.string().nullable(),
  intermediaryId: z.string(),
  intermediaryName: z.string(),
  contractNo: z.string(),
  amountYuan: z.number(),
  committedDays: z.number(),
  signedOn: z.string(),
  deadline: z.string(),
  status: z.enum(['in_service', 'delivered', 'accepted', 'terminated']),
  statusName: z.string(),
  clock: z.object({
    state: z.enum(['normal', 'warning', 'overdue']),
    remainingWorkingDays: z.number(),
    overdueWorkingDays: z.number(),
    deadline: z.string(),
  }),
  report: z
    .object({ fileId: z.string(), reportNo: z.string(), summary: z.string(), deliveredOn: z.string() })
    .nullable(),
  returnReason: z.string().nullable(),
  adoptedFileId: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  rating: z.object({ code: z.number(), name: z.string(), comment: z.string() }).nullable(),
  endedReason: z.string().nullable(),
  complaints: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      status: z.enum(['filed', 'upheld', 'dismissed']),
      decisionNote: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const DeliverSchema = z.object({
  fileId: z.uuid(),
  reportNo: text(64).describe('成果文件编号'),
  summary: z.string().trim().max(2000).default(''),
});

export const ReportDecisionSchema = z.object({
  decision: z.enum(['accept', 'return']),
  reason: z.string().trim().max(1000).optional(),
});

export const RateSchema = z.object({
  satisfactionCode: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('满意度代码 GB/T 39046—2020 A.8：1 非常满意、2 满意、3 基本满意、4 不满意、5 非常不满意'),
  comment: z.string().trim().max(1000).optional(),
});

export const ReasonSchema = z.object({ reason: text(1000) });

export const ComplaintSchema = z.object({
  id: z.string(),
  engagementId: z.string(),
  reason: z.string(),
  status: z.enum(['filed', 'upheld', 'dismissed']),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});

export const ComplaintDecisionSchema = z.object({
  decision: z.enum(['upheld', 'dismissed']),
  note: text(1000),
});

export const ExchangeRowSchema = z.object({
  tableName: z.string(),
  localKey: z.string(),
  row: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  writtenAt: z.string(),
});

const RatingSummarySchema = z.object({
  ratings: z.number(),
  satisfiedPercent: z.number().nullable(),
  counts: z.array(z.object({ code: z.number(), name: z.string(), count: z.number() })),
});

export const PublicMarketplaceSchema = z.object({
  services: z.array(ServiceSchema),
  intermediaries: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      creditCode: z.string(),
      contactPhone: z.string(),
      address: z.string(),
      creditGrade: z.enum(['A', 'B', 'C', 'D']),
      blackListed: z.boolean(),
      qualifications: z.array(
        z.object({ name: z.string(), grade: z.string(), certificateNo: z.string(), expiresOn: z.string() }),
      ),
      services: z.array(
        z.object({
          serviceCode: z.string(),
          serviceName: z.string(),
          feeYuan: z.number(),
          committedDays: z.number(),
          commitment: z.string(),
        }),
      ),
      rating: RatingSummarySchema,
    }),
  ),
  blackList: z.array(
    z.object({
      intermediaryId: z.string(),
      name: z.string(),
      creditCode: z.string(),
      listedOn: z.string(),
      expiresOn: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});
