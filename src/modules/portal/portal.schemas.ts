/** Request and response schemas of the public portal (/api/public/…) and of consultation answering. */
import { z } from 'zod';

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const GuideIndexResponse = z.object({
  templates: z.array(
    z.object({
      code: z.string(),
      name: z.string().describe('项目类型 (审批流程)'),
      totalWorkingDays: z.number().int(),
      stages: z.array(
        z.object({
          nationalStage: z.number().int(),
          name: z.string(),
          timeLimitWorkingDays: z.number().int(),
          itemCount: z.number().int(),
        }),
      ),
    }),
  ),
});

export const GuideParams = z.object({
  code: z.string().min(1).max(64).describe('审批流程代码'),
  n: z.coerce.number().int().min(1).max(5).describe('国家标准审批阶段 1–5'),
});

export const StageGuideResponse = z.object({
  template: z.object({ code: z.string(), name: z.string(), version: z.number().int() }),
  stage: z.object({
    nationalStage: z.number().int(),
    name: z.string(),
    leadDepartmentCode: z.string(),
    leadDepartmentName: z.string(),
    timeLimitWorkingDays: z.number().int().describe('典型项目的阶段审批时限 (工作日)'),
  }),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      departmentCode: z.string(),
      departmentName: z.string(),
      promisedTimeLimitDays: z.number().int(),
      legalTimeLimitDays: z.number().int(),
      conditional: z.boolean().describe('仅特定情形需办理 (由项目属性决定)'),
      commitmentAllowed: z.boolean(),
      resultDocumentType: z.string(),
    }),
  ),
  materials: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      required: z.boolean(),
      deficiencyAllowed: z.boolean(),
      items: z.array(z.string()).describe('使用该材料的事项代码'),
    }),
  ),
  form: z.record(z.string(), z.unknown()).describe('一张表单 JSON Schema (draft 2020-12)'),
  flowchartUrl: z.string().describe('流程图 SVG'),
});

export const ProgressBody = z.object({
  projectCode: z.string().trim().min(1).max(64).describe('项目代码'),
  queryCode: z.string().trim().min(4).max(32).describe('查询码 (登记时获得)'),
});

export const ProgressResponse = z.object({
  code: z.string(),
  name: z.string(),
  enterpriseName: z.string().describe('建设单位 (个人姓名已脱敏)'),
  districtCode: z.string(),
  registeredOn: z.string(),
  stages: z.array(
    z.object({
      nationalStage: z.number().int(),
      name: z.string(),
      status: z.string(),
      timeLimitWorkingDays: z.number().int(),
      items: z.array(
        z.object({
          itemCode: z.string(),
          itemName: z.string(),
          departmentName: z.string(),
          status: z.string(),
          deadline: z.string(),
          remainingWorkingDays: z.number().int().nullable(),
          overdueWorkingDays: z.number().int().nullable(),
          paused: z.boolean(),
        }),
      ),
    }),
  ),
});

export const QueryCodeResponse = z.object({ queryCode: z.string() });
export const ProjectIdParams = z.object({ id: z.uuid() });

export const DisclosureQuery = Page.extend({
  projectCode: z.string().trim().min(1).max(64).optional(),
});

export const DisclosureResponse = z.object({
  certificates: z.array(
    z.object({
      id: z.string(),
      identifier: z.string().describe('证照标识'),
      type: z.string(),
      title: z.string(),
      holderName: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      departmentCode: z.string(),
      issuedOn: z.string(),
      validUntil: z.string(),
      revoked: z.boolean(),
    }),
  ),
});

export const VerifyQuery = z.object({
  identifier: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('证照标识 (印在证照上, 1.2.156.3005.2.…) 或二维码中的证照 id'),
});

export const AskBody = z.object({
  routedTo: z.string().trim().min(1).max(32).describe('window = 综合窗口, 否则为部门代码'),
  topic: z.string().trim().min(1).max(50).describe('主题, 如 施工许可'),
  question: z.string().trim().min(5).max(2000),
  askerName: z.string().trim().min(1).max(50),
  askerContact: z
    .string()
    .trim()
    .regex(/^(1\d{10}|[^@\s]+@[^@\s]+\.[^@\s]+)$/, '请填写 11 位手机号或电子邮箱 (mobile or e-mail)'),
});

const ConsultationShape = {
  id: z.uuid(),
  routedTo: z.string(),
  topic: z.string(),
  question: z.string(),
  askerName: z.string(),
  askedAt: z.string(),
  dueOn: z.string().describe('答复期限 (北京日期)'),
  status: z.enum(['open', 'answered', 'closed']),
  overdue: z.boolean(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  published: z.boolean(),
};
export const ConsultationResponse = z.object(ConsultationShape);
export const AskResponse = z.object({
  ...ConsultationShape,
  ticket: z.string().describe('查看答复的凭证 (只显示一次)'),
});
export const StaffConsultation = z.object({ ...ConsultationShape, askerContact: z.string() });

export const ConsultationParams = z.object({ id: z.uuid() });
export const TicketQuery = z.object({ ticket: z.string().trim().min(4).max(32) });
export const StaffListQuery = Page.extend({ status: z.enum(['open', 'answered', 'closed']).optional() });
export const AnswerBody = z.object({
  answer: z.string().trim().min(2).max(4000),
  publish: z.boolean().default(false).describe('作为常见问题公开'),
});
export const ConsultationStateBody = z
  .object({ published: z.boolean().optional(), close: z.literal(true).optional() })
  .refine((b) => b.published !== undefined || b.close, { message: '须指明 published 或 close' });

export const FaqQuery = Page.extend({ topic: z.string().trim().min(1).max(50).optional() });
export const FaqResponse = z.object({
  faq: z.array(
    z.object({
      id: z.uuid(),
      routedTo: z.string(),
      topic: z.string(),
      question: z.string(),
      answer: z.string(),
      answeredOn: z.string(),
    }),
  ),
});
