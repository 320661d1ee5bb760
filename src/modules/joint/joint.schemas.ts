import { z } from 'zod';
import { IsoDateSchema } from '../catalog/catalog.schemas';
import { firmGrades, schemeAnswerCodes, sectionCodes, signOffAreaCodes } from './joint.rules';

export const IdParams = z.object({ id: z.uuid() });
const text = (max = 2000) => z.string().trim().min(1).max(max);
const isoDate = IsoDateSchema;
const creditCode = z.string().length(18).describe('统一社会信用代码');

export const SectionSchema = z.enum(sectionCodes as [string, ...string[]]).describe('审查专业 section');
export const GradeSchema = z
  .enum(Object.keys(firmGrades) as [string, ...string[]])
  .describe('资质等级 grade_a 甲级');
export const AreaSchema = z.enum(signOffAreaCodes as [string, ...string[]]).describe('联合验收签署方 area');

export const OrganisationRequest = z.object({
  kind: z
    .enum(['drawing_review', 'survey', 'assessment'])
    .describe('drawing_review 施工图审查机构; survey 测绘机构; assessment 评估机构（多评合一）'),
  name: text(200),
  creditCode,
  purchasedService: z.boolean().default(false).describe('政府购买服务 (task 31)'),
});
const Reviewer = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  sections: z.array(z.string()),
  qualification: z.string(),
});
export const OrganisationResponse = z.object({
  id: z.string(),
  kind: z.enum(['drawing_review', 'survey', 'assessment']),
  name: z.string(),
  creditCode: z.string(),
  purchasedService: z.boolean(),
});
export const OrganisationListResponse = z.object({
  organisations: z.array(OrganisationResponse.extend({ reviewers: z.array(Reviewer) })),
});
export const OrganisationListQuery = z.object({
  kind: z.enum(['drawing_review', 'survey', 'assessment']).optional(),
});

export const ReviewerRequest = z.object({
  username: text(100),
  sections: z.array(SectionSchema).min(1),
  qualification: text(200).describe('审查人员资格证书编号'),
});
export const ReviewerResponse = z.object({
  organisationId: z.string(),
  userId: z.string(),
  username: z.string(),
  sections: z.array(z.string()),
});

export const DesignFirmRequest = z.object({
  name: text(200),
  creditCode,
  grade: GradeSchema,
  qualificationNumber: text(100),
  qualificationExpires: isoDate,
});
export const DesignFirmUpdateRequest = z.object({
  grade: GradeSchema.optional(),
  qualificationNumber: text(100).optional(),
  qualificationExpires: isoDate.optional(),
});
export const DesignFirmResponse = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string(),
  grade: z.string(),
  gradeName: z.string(),
  qualificationNumber: z.string(),
  qualificationExpires: z.string(),
});
export const DesignFirmListResponse = z.object({ firms: z.array(DesignFirmResponse) });

export const CommitmentRequest = z.object({
  designFirmId: z.uuid(),
  chiefDesigner: text(100).describe('设计负责人'),
  chiefDesignerReg: text(100).describe('设计负责人注册证书编号'),
});
export const CommitmentResponse = z.object({
  id: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  firmName: z.string(),
  firmCreditCode: z.string(),
  firmGrade: z.string(),
  firmGradeName: z.string(),
  qualificationNumber: z.string(),
  chiefDesigner: z.string(),
  chiefDesignerReg: z.string(),
  text: z.string().describe('终身负责承诺书'),
  signedAt: z.string(),
  signedOn: z.string(),
  postInspectionPool: z.boolean().describe('纳入事后监管抽查'),
  revoked: z.boolean(),
  revokedReason: z.string().nullable(),
  pdfUrl: z.string().describe('打印承诺书 (PDF)'),
});
export const CommitmentListResponse = z.object({ commitments: z.array(CommitmentResponse) });
export const ReasonRequest = z.object({ reason: text(1000) });
export const RevokeResponse = z.object({
  id: z.string(),
  revoked: z.boolean(),
  suspendedCertificates: z.array(z.string()).describe('中止的证照标识'),
});

export const OpenReviewRequest = z.object({
  taskId: z.uuid().describe('施工图审查办件 (ZZ-STSC-001)'),
  organisationId: z.uuid(),
  fireJoint: z.boolean().default(true).describe('是否与消防联合审查'),
  civilAirDefenceJoint: z.boolean().default(true).describe('是否与人防联合审查'),
  initialReview: z.boolean().default(true).describe('初审'),
});
export const SectionDecisionRequest = z.object({
  section: SectionSchema,
  outcome: z.enum(['pass', 'fail']),
  violations: z.number().int().min(0).max(10000).describe('违反强制性条文条数'),
  opinion: text(),
});
export const DrawingReviewResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  projectId: z.string(),
  organisation: z.object({ id: z.string(), name: z.string(), purchasedService: z.boolean() }),
  status: z.enum(['in_review', 'failed', 'passed', 'revoked']),
  round: z.number(),
  fireJoint: z.boolean(),
  civilAirDefenceJoint: z.boolean(),
  violationTotal: z.number().describe('违反强条总数'),
  certificateId: z.string().nullable().describe('施工图审查合格书'),
  revokedReason: z.string().nullable(),
  pendingSections: z.array(z.string()),
  sections: z.array(z.object({ section: z.string(), name: z.string() })),
  decisions: z.array(
    z.object({
      section: z.string(),
      round: z.number(),
      outcome: z.enum(['pass', 'fail']),
      violations: z.number(),
      opinion: z.string(),
      reviewerName: z.string(),
      decidedAt: z.string(),
    }),
  ),
  suspendedCertificates: z.array(z.string()).optional(),
  restoredCertificates: z.array(z.string()).optional().describe('复审合格后恢复的证照标识'),
});
export const DrawingReviewListQuery = z.object({ projectId: z.uuid().optional() });
export const DrawingReviewListResponse = z.object({
  reviews: z.array(
    DrawingReviewResponse.extend({
      projectCode: z.string(),
      projectName: z.string(),
      mySections: z.array(z.string()),
    }),
  ),
});

export const OpenAcceptanceRequest = z.object({
  applicationId: z.uuid().describe('竣工验收阶段申报'),
  surveyOrganisationId: z.uuid().describe('联合测绘机构'),
  surveyReportNumber: text(100).describe('联合测绘成果报告编号'),
  testReports: z.array(text(200)).max(50).default([]).describe('检测报告'),
});
export const SignOffRequest = z.object({
  area: AreaSchema,
  outcome: z.enum(['pass', 'fail']),
  opinion: text(),
});
export const AcceptanceResponse = z.object({
  id: z.string(),
  applicationId: z.string(),
  projectId: z.string(),
  status: z.enum(['in_review', 'passed', 'failed']),
  jointAcceptance: z.boolean().describe('是否实行联合验收'),
  surveyOrganisation: z.object({ id: z.string(), name: z.string() }),
  surveyReportNumber: z.string(),
  testReports: z.array(z.string()),
  opinionNumber: z.string().nullable().describe('联合验收意见书编号'),
  signoffs: z.array(
    z.object({
      area: z.string(),
      name: z.string(),
      departmentCode: z.string(),
      outcome: z.enum(['pass', 'fail']).nullable(),
      opinion: z.string().nullable(),
      signerName: z.string().nullable(),
      signedAt: z.string().nullable(),
    }),
  ),
});
export const AcceptanceListResponse = z.object({
  acceptances: z.array(AcceptanceResponse.extend({ projectCode: z.string(), projectName: z.string() })),
});

const UtilityCase = z.object({
  id: z.string(),
  projectId: z.string(),
  utility: z.string(),
  utilityName: z.string(),
  itemCode: z.string().nullable(),
  status: z.enum(['pending', 'notified', 'applied', 'works', 'connected', 'not_needed']),
  facts: z.record(z.string(), z.unknown()).nullable().describe('项目、场地和联系人'),
  notifiedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
  acceptedOn: z.string().nullable().describe('竣工验收办结日期'),
  connectedAt: z.string().nullable(),
  note: z.string().nullable(),
  works: z.array(z.object({ note: z.string(), recordedAt: z.string() })),
});
export const UtilityCaseResponse = UtilityCase;
export const UtilityCaseListResponse = z.object({ cases: z.array(UtilityCase) });
export const UtilityDeskResponse = z.object({
  cases: z.array(UtilityCase.extend({ projectCode: z.string(), projectName: z.string() })),
});
export const NoteRequest = z.object({ note: text(1000) });
export const UtilityStatsResponse = z.object({
  utilities: z.array(
    z.object({
      utility: z.string(),
      name: z.string(),
      notified: z.number(),
      applied: z.number(),
      connected: z.number(),
      avgDaysToApply: z.number().nullable().describe('告知到报装（工作日）'),
      avgDaysToConnect: z.number().nullable().describe('报装到接入（工作日）'),
    }),
  ),
});

// 方案联审 (task 17) -----------------------------------------------------------------------------------
const ConsultedDepartment = z.object({
  departmentCode: z.string().min(2).max(16).describe('被征求意见部门'),
  limitDays: z.number().int().min(1).max(30).optional().describe('反馈时限（工作日），默认 3'),
});
export const OpenSchemeReviewRequest = z.object({
  taskId: z.uuid().describe('设计方案审查办件 (ZZ-ZRZY-006)'),
  departments: z.array(ConsultedDepartment).min(1).max(30).describe('征求意见的部门'),
});
export const SchemeOpinionRequest = z.object({
  answer: z
    .enum(schemeAnswerCodes as [string, ...string[]])
    .describe('agree 同意 / agree_with_conditions 有条件同意 / disagree 不同意'),
  opinion: z.string().trim().max(2000).optional().describe('条件或不同意的理由'),
});
export const SchemeConclusionRequest = z.object({
  outcome: z.enum(['pass', 'return']).describe('pass 通过 / return 退回修改'),
  conclusion: text(),
});
export const SchemeNextRoundRequest = z.object({
  departments: z.array(ConsultedDepartment).min(1).max(30).optional().describe('默认与上一轮相同'),
});
export const SchemeReviewResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  projectId: z.string(),
  status: z.enum(['consulting', 'returned', 'passed', 'withdrawn']),
  round: z.number(),
  conclusion: z.string().nullable().describe('方案联审结论'),
  concludedAt: z.string().nullable(),
  canPass: z.boolean(),
  passRefusal: z.string().nullable().describe('为何尚不能通过'),
  opinions: z.array(
    z.object({
      round: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      limitDays: z.number(),
      requestedAt: z.string(),
      dueDate: z.string().describe('反馈期限（北京时间日期）'),
      state: z.enum(['answered', 'awaited', 'overdue']),
      answer: z.enum(['agree', 'agree_with_conditions', 'disagree']).nullable(),
      answerName: z.string().nullable(),
      opinion: z.string().nullable(),
      answeredByName: z.string().nullable(),
      answeredAt: z.string().nullable(),
    }),
  ),
});
export const SchemeReviewListQuery = z.object({ projectId: z.uuid().optional() });
export const SchemeReviewListResponse = z.object({
  reviews: z.array(
    SchemeReviewResponse.extend({
      projectCode: z.string(),
      projectName: z.string(),
      planningDepartmentCode: z.string().describe('组织方案联审的审批部门'),
    }),
  ),
});

// 多评合一 (task 50) -----------------------------------------------------------------------------------
export const OpenMergedAssessmentRequest = z.object({
  projectId: z.uuid(),
  taskIds: z.array(z.uuid()).min(2).max(20).describe('合并编制的评估评价办件'),
  organisationId: z.uuid().describe('受委托的评估机构'),
});
export const MergedReportRequest = z.object({
  reportNumber: text(100).describe('评估报告编号'),
  summary: text(4000).describe('报告摘要'),
});
export const MergedMeetingRequest = z.object({
  heldOn: isoDate.describe('集中评审日期'),
  place: text(200),
  experts: z
    .array(z.object({ name: text(50), specialty: text(100), title: text(100) }))
    .min(1)
    .max(50)
    .describe('评审专家（不少于 3 人）'),
});
export const MergedConclusionRequest = z.object({
  itemCode: z.string().min(1).max(40),
  outcome: z.enum(['pass', 'fail']),
  opinion: text(),
});
export const MergedAssessmentResponse = z.object({
  id: z.string(),
  projectId: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(['preparing', 'in_review', 'failed', 'passed', 'withdrawn']),
  statusName: z.string().describe('状态（中文）'),
  closedReason: z.string().nullable().describe('未通过而结束的原因：撤回，或所含办件已结束'),
  round: z.number(),
  notice: z
    .array(
      z.object({
        itemCode: z.string(),
        itemName: z.string(),
        departmentCode: z.string(),
        materials: z.array(z.string()),
      }),
    )
    .describe('一次告知：合并报告须包含的内容'),
  reportNumber: z.string().nullable(),
  reportSummary: z.string().nullable(),
  opinionNumber: z.string().nullable().describe('多评合一评审意见编号'),
  pendingItems: z.array(z.string()),
  items: z.array(
    z.object({
      taskId: z.string(),
      itemCode: z.string(),
      itemName: z.string(),
      departmentCode: z.string(),
      ended: z.boolean().describe('办件已撤回、终止或不予许可：该项不再评审'),
      endedReason: z.string().nullable(),
    }),
  ),
  meetings: z.array(
    z.object({
      round: z.number(),
      heldOn: z.string(),
      place: z.string(),
      experts: z.array(z.object({ name: z.string(), specialty: z.string(), title: z.string() })),
    }),
  ),
  conclusions: z.array(
    z.object({
      round: z.number(),
      itemCode: z.string(),
      itemName: z.string(),
      departmentCode: z.string(),
      outcome: z.enum(['pass', 'fail']),
      opinion: z.string(),
      decidedByName: z.string(),
      decidedAt: z.string(),
    }),
  ),
});
export const MergedAssessmentListQuery = z.object({ projectId: z.uuid().optional() });
export const MergedAssessmentListResponse = z.object({
  assessments: z.array(MergedAssessmentResponse.extend({ projectCode: z.string(), projectName: z.string() })),
});

export const JointReferenceResponse = z.object({
  schemeReviewItem: z.string().describe('方案联审办结的事项（设计方案审查）'),
  defaultOpinionDays: z.number().int().describe('征求意见默认反馈时限（工作日）'),
  mergeableAssessments: z.array(z.string()).describe('可纳入多评合一的评估评价事项编码'),
});
