import { z } from 'zod';
import { IsoDateSchema } from '../calendar/calendar.schemas';
import { PageFields, PageQuery } from '../../shared/paging';
import { TaskClockSchema as ProjectTaskClockSchema } from '../projects/project.schemas';
import { SimulatedUntilSchema } from '../templates/template.schemas';
import { specialProcedureKinds } from './approval.rules';

const Uuid = z.uuid({ message: '须为 UUID (must be a UUID)' });
const MaterialCode = z.string().regex(/^[A-Za-z0-9_\-.]{1,64}$/, '材料代码格式错误 (bad material code)');

export const IdParams = z.object({ id: Uuid });

export const SubmitApplicationRequest = z.object({
  stage: z.number().int().min(1).max(5).describe('国家标准审批阶段 1–5'),
  itemCode: z.string().max(64).optional().describe('并行推进（第 5 阶段）逐项申报：所申报的事项代码'),
  form: z.record(z.string().max(64), z.unknown()).describe('一张表单：本阶段所有事项字段合并'),
  materials: z
    .array(z.object({ materialCode: MaterialCode, fileId: Uuid }))
    .max(200)
    .default([])
    .describe('一套材料：已在档材料无需重复提交'),
  commitments: z.array(z.string().max(64)).max(100).optional().describe('选择告知承诺制办理的事项代码'),
  agent: z
    .object({ enterpriseConsent: z.literal(true), note: z.string().max(500).optional() })
    .optional()
    .describe('帮办代办：企业须已在“委托代办”中授权阶段申报（以记录为准，此勾选仅作确认）'),
});

export const SubmitApplicationResponse = z.object({
  id: z.string(),
  status: z.string(),
  stage: z.number().int(),
  replayed: z.boolean().describe('同一 Idempotency-Key 的重复提交'),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(128).optional().describe('同一键重复提交返回同一申报'),
});

export const AcceptRequest = z.object({
  deficiencies: z
    .array(z.object({ materialCode: MaterialCode, dueDate: IsoDateSchema.optional() }))
    .max(100)
    .optional()
    .describe('容缺受理：缺件材料及补交期限'),
});

export const CorrectionsRequest = z.object({
  items: z
    .array(
      z
        .object({
          materialCode: MaterialCode.optional(),
          field: z.string().max(64).optional(),
          reason: z.string().trim().min(2).max(1000),
        })
        .refine((i) => i.materialCode || i.field, {
          message: '须指明材料或字段 (name a material or a field)',
        }),
    )
    .min(1)
    .max(100)
    .describe('一次性告知的补正清单'),
  dueDate: IsoDateSchema.optional().describe('补正期限；缺省为受理地配置的工作日数（默认 20 个工作日）'),
});

export const RefuseRequest = z.object({
  reason: z.string().trim().min(2).max(2000).describe('不予受理理由'),
});

export const DeficiencyParams = z.object({ id: Uuid, materialCode: MaterialCode });
export const SupplyDeficiencyRequest = z.object({ fileId: Uuid });

export const AnswerCorrectionRequest = z.object({
  form: z.record(z.string().max(64), z.unknown()).optional(),
  materials: z
    .array(z.object({ materialCode: MaterialCode, fileId: Uuid }))
    .max(200)
    .optional(),
  note: z.string().max(2000).optional(),
});

export const DecisionRequest = z
  .object({
    step: z.enum(['initial', 'final']).describe('initial = 初核, final = 复核'),
    outcome: z.enum(['approve', 'reject', 'return']).describe('通过 / 不予许可 / 退回补正'),
    opinion: z.string().trim().max(4000).describe('审查意见；不予许可和退回须说明理由'),
    document: z
      .object({
        number: z.string().trim().min(1).max(100).describe('文号'),
        title: z.string().trim().min(1).max(200),
        date: IsoDateSchema,
        validUntil: IsoDateSchema.optional().describe('有效期至；无期限为 9999-01-01'),
      })
      .refine((d) => !d.validUntil || d.validUntil >= d.date, {
        message: '有效期至不得早于发文日期 (validUntil before date)',
        path: ['validUntil'],
      })
      .optional()
      .describe('批复文件'),
    dueDate: IsoDateSchema.optional().describe('退回补正时：补正期限'),
    items: z
      .array(
        z.object({
          materialCode: MaterialCode.optional(),
          field: z.string().max(64).optional(),
          reason: z.string().trim().min(2).max(1000),
        }),
      )
      .min(1)
      .max(100)
      .optional()
      .describe('退回补正时：一次性告知的补正清单'),
  })
  .refine((d) => d.outcome === 'approve' || d.opinion.length >= 2, {
    message: '不予许可或退回须说明理由 (a reason is required)',
    path: ['opinion'],
  });

export const SpecialProcedureRequest = z.object({
  kind: z
    .enum(specialProcedureKinds as [string, ...string[]])
    .describe('听证/检验/检测/鉴定…暂停计时；专家评审/技术审查计入时限'),
  reason: z.string().trim().min(2).max(1000),
});
export const PauseParams = z.object({ id: Uuid, pauseId: Uuid });

export const PreconditionRequest = z
  .object({
    precondition: SimulatedUntilSchema,
    documentNumber: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe('证明文件编号（如土地出让合同编号）'),
    fileId: Uuid.optional().describe('证明文件（已上传的材料文件）'),
  })
  .refine((b) => b.documentNumber || b.fileId, {
    message: '须提供文件编号或证明文件 (evidence required)',
    path: ['documentNumber'],
  });
export const ConfirmPreconditionRequest = z.object({ opinion: z.string().trim().min(2).max(2000) });

export const InspectionResultRequest = z.object({
  outcome: z.enum(['confirmed', 'revoked']).describe('履诺确认 / 撤销审批决定'),
  result: z.string().trim().min(2).max(2000),
  legalBasis: z
    .string()
    .trim()
    .min(2)
    .max(500)
    .optional()
    .describe('撤销的法律依据（不填：行政许可法第六十九条及实施方案任务59）'),
});

export const RevokeRequest = z.object({
  reason: z.string().trim().min(2).max(2000).describe('撤销理由（申请人可见）'),
  legalBasis: z.string().trim().min(2).max(500).describe('法律依据，如《行政许可法》第六十九条第二款'),
});

export const RevokeResponse = z.object({
  id: z.string().describe('撤销记录编号'),
  taskId: z.string(),
  status: z.literal('revoked'),
  reason: z.string(),
  legalBasis: z.string(),
  sourceType: z.enum(['department', 'inspection', 'inspection_draw']),
  certificateRevoked: z.string().nullable().describe('同时撤销的证照标识'),
  revokedAt: z.date(),
});

/** 窗口收件队列 (issue 16 §6): search, filters, order; the list adds the page, the export does not. */
export const ListApplicationsExportQuery = z.object({
  status: z
    .string()
    .regex(/^[a-z_,]{1,100}$/)
    .optional()
    .describe('逗号分隔: submitted,correction_requested,accepted,refused,completed'),
  q: z.string().trim().max(100).optional().describe('项目名称、项目代码或建设单位名称中包含的文字'),
  stage: z.coerce.number().int().min(1).max(5).optional().describe('审批阶段 1–5'),
  districtCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('所在区县（区县窗口只能查本区县）'),
  sort: z
    .enum(['submittedAt', 'projectName', 'projectCode', 'stage', 'expectedCompletion'])
    .default('submittedAt')
    .describe('排序：提交时间（默认）/ 项目名称 / 项目代码 / 阶段 / 预计办结日'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export const ListApplicationsQuery = ListApplicationsExportQuery.extend(PageQuery.shape);
export type ListApplicationsInput = z.infer<typeof ListApplicationsQuery>;

export const ListInspectionsQuery = z.object({
  status: z.enum(['pending', 'confirmed', 'revoked']).optional(),
});

export const ReasonRequest = z.object({
  reason: z.string().trim().min(2).max(2000).describe('理由'),
});

export const ExtensionRequest = z.object({
  workingDays: z.number().int().min(1).max(60).describe('延长的工作日数（不超过事项允许的上限，默认 10）'),
  reason: z.string().trim().min(2).max(2000).describe('延期理由（申请人可见）'),
});
export const ExtensionParams = z.object({ id: Uuid, extId: Uuid });
export const ExtensionDecisionRequest = z.object({
  approve: z.boolean(),
  opinion: z.string().trim().min(2).max(2000),
});

export const ReopenParams = z.object({ id: Uuid, reopenId: Uuid });
export const CountersignRequest = z.object({
  approve: z.boolean(),
  opinion: z.string().trim().min(2).max(2000),
});

// ---- responses of the lifecycle routes

export const EndApplicationResponse = z.object({
  id: z.string(),
  status: z.string().describe('withdrawn 已撤回 / terminated 已终止'),
  reason: z.string(),
  endedTasks: z.number().int().describe('随之结束的在办事项数'),
});

export const ExtensionResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  workingDays: z.number().int(),
  reason: z.string(),
  status: z.string().describe('pending 待审批 / approved 已批准 / refused 不予批准'),
  requestedAt: z.date(),
  decidedAt: z.date().nullable(),
  opinion: z.string().nullable(),
  deadline: z.string().optional().describe('审批后的办理期限'),
});

export const ReopenRequestResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  status: z.string().describe('pending 待会签'),
  reason: z.string(),
  requestedAt: z.date(),
});

export const CountersignResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  status: z.enum(['approved', 'refused']),
  taskStatus: z.string().describe('纠错后的办件状态'),
  certificateRevoked: z
    .object({ id: z.string(), identifier: z.string() })
    .nullable()
    .describe('随之撤销的电子证照'),
  certificateReinstated: z
    .object({ id: z.string(), identifier: z.string() })
    .nullable()
    .optional()
    .describe('撤销决定纠错后恢复有效的电子证照'),
  creditRecordsWithdrawn: z.array(z.string()).optional().describe('撤销决定纠错后撤回的信用记录编号'),
});

/** The project view's clock plus whether the working-day calendar covered the whole span. */
const TaskClockSchema = ProjectTaskClockSchema.extend({ calendarComplete: z.boolean() });

export const HeadDeskResponse = z.object({
  tasks: z.array(
    z.object({
      id: z.string(),
      applicationId: z.string(),
      projectId: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      itemCode: z.string(),
      itemName: z.string(),
      departmentCode: z.string(),
      stage: z.number().int(),
      status: z.string(),
      statusName: z.string(),
      round: z.number().int(),
      decidedAt: z.date().nullable(),
      clock: TaskClockSchema,
      extensions: z.array(
        ExtensionResponse.omit({ taskId: true, deadline: true }).describe('延期申请（全部）'),
      ),
      reopenings: z.array(
        z.object({
          id: z.string(),
          reason: z.string(),
          status: z.string().describe('pending 待会签 / approved 已会签 / refused 不予会签'),
          requestedAt: z.date(),
          countersignedAt: z.date().nullable(),
          opinion: z.string().nullable(),
        }),
      ),
    }),
  ),
});

/** 待办箱 (issue 10 §8 / issue 16 §6): search, filters, order and one page of the inbox. */
export const InboxQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional().describe('项目名称、项目代码、事项名称或事项编码中包含的文字'),
  state: z
    .enum(['in_review', 'correction', 'paused', 'running'])
    .default('in_review')
    .describe('办件状态：in_review 待审（默认）/ correction 补正中 / paused 暂停中 / running 全部在办'),
  clockState: z.enum(['normal', 'warning', 'overdue']).optional().describe('计时状态：正常 / 预警 / 逾期'),
  sort: z
    .enum(['deadline', 'startedOn', 'projectName', 'projectCode', 'itemName'])
    .default('deadline')
    .describe('排序：办理期限（默认）/ 受理日 / 项目名称 / 项目代码 / 事项名称'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type InboxQueryInput = z.infer<typeof InboxQuery>;

export const InboxExportQuery = InboxQuery.omit({ page: true, pageSize: true });

export const InboxTaskSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  departmentCode: z.string(),
  status: z.string(),
  statusName: z.string().describe('办件状态（中文）'),
  currentStep: z.string().nullable(),
  deadline: z.string().describe('YYYY-MM-DD'),
  startedOn: z.string().describe('受理日 YYYY-MM-DD'),
  promisedDays: z.number().int(),
  decidedAt: z.date().nullable(),
  extendedDays: z.number().int(),
  round: z.number().int(),
  simulated: z.boolean(),
  clock: TaskClockSchema,
});

export const InboxResponse = z.object({
  tasks: z.array(InboxTaskSchema),
  ...PageFields,
});

export const ReferenceValuesResponse = z.object({
  today: z.string().describe('北京时间今天 YYYY-MM-DD'),
  deficiencyWorkingDays: z.number().int().describe('容缺材料未定期限时的补交工作日数'),
  deficiencyDueDate: z.string().describe('今天受理时容缺材料的默认补交期限'),
  correctionWorkingDays: z.number().int().describe('一次性告知补正的默认期限（工作日）'),
  correctionDueDate: z.string().describe('今天告知补正时的默认补正期限'),
  noExpiryDate: z.string().describe('长期有效的证照、批复的“有效期至”'),
  clockStates: z
    .array(z.object({ state: z.enum(['normal', 'warning', 'overdue']), name: z.string() }))
    .describe('计时状态及名称'),
});

// ---- responses of the window, decision, special-procedure, precondition and inspection routes

const ApplicationStatusSchema = z
  .enum([
    'submitted',
    'correction_requested',
    'accepted',
    'refused',
    'rejected',
    'withdrawn',
    'terminated',
    'completed',
  ])
  .describe('申报状态');
const TaskStatusSchema = z
  .enum(['in_review', 'paused', 'correction', 'approved', 'rejected', 'revoked', 'withdrawn', 'terminated'])
  .describe('办件状态');
const ReviewStepSchema = z.enum(['initial', 'final']).describe('initial 初核 / final 复核');
const ReplyDocumentSchema = z
  .object({ number: z.string(), title: z.string(), date: z.string(), validUntil: z.string() })
  .describe('批复文件');
const CertificateRefSchema = z.object({ id: z.string(), identifier: z.string() }).describe('电子证照');
const CorrectionItemSchema = z.object({
  materialCode: z.string().optional(),
  field: z.string().optional(),
  reason: z.string(),
});

export const ListApplicationsResponse = z.object({
  applications: z.array(
    z.object({
      id: z.string(),
      projectId: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      enterpriseName: z.string(),
      stage: z.number().int(),
      status: ApplicationStatusSchema,
      submittedAt: z.date(),
      acceptedAt: z.date().nullable(),
      completedAt: z.date().nullable(),
      expectedCompletion: z.string().nullable().describe('预计办结日 YYYY-MM-DD'),
      districtCode: z.string().describe('所在区县（行政区划代码）'),
    }),
  ),
  ...PageFields,
});

export const AcceptResponse = z.object({
  tasks: z.array(
    z.object({
      id: z.string(),
      applicationId: z.string(),
      projectId: z.string(),
      itemCode: z.string(),
      itemVersion: z.number().int(),
      departmentCode: z.string(),
      stage: z.number().int(),
      status: TaskStatusSchema,
      steps: z.array(ReviewStepSchema),
      currentStep: ReviewStepSchema.nullable(),
      promisedDays: z.number().int(),
      limitWorkingDays: z.number().int(),
      extendedDays: z.number().int(),
      startedOn: z.string(),
      deadline: z.string(),
      viaCommitment: z.boolean(),
      simulated: z.boolean(),
      simulatedUntil: z.string().nullable(),
      milestone: z.boolean(),
      outcome: z.string().nullable(),
      opinion: z.string().nullable(),
      document: ReplyDocumentSchema.nullable(),
      decidedAt: z.date().nullable(),
      createdAt: z.date(),
      round: z.number().int(),
      endedReason: z.string().nullable(),
      endedByTask: z.string().nullable(),
      version: z.number().int(),
    }),
  ),
  expectedCompletion: z.string().describe('预计办结日 YYYY-MM-DD'),
  calendarComplete: z.boolean(),
});

export const CorrectionsResponse = z.object({
  id: z.string(),
  status: ApplicationStatusSchema,
  items: z.array(CorrectionItemSchema),
  dueDate: z.string().describe('补正期限 YYYY-MM-DD'),
});

export const RefuseResponse = z.object({
  id: z.string(),
  status: ApplicationStatusSchema,
  reason: z.string(),
  remedies: z.string().describe('救济途径（行政复议、行政诉讼）'),
});

export const SupplyDeficiencyResponse = z.object({
  applicationId: z.string(),
  materialCode: z.string(),
  fulfilledAt: z.date(),
});

export const ApplicationEventsResponse = z.object({
  events: z.array(
    z.object({
      id: z.number().int(),
      occurredAt: z.date(),
      actorRole: z.string().nullable(),
      actorName: z.string().nullable(),
      action: z.string(),
      objectType: z.string(),
      objectId: z.string(),
      fromState: z.string().nullable(),
      toState: z.string().nullable(),
      reason: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const AnswerCorrectionResponse = z.object({ correctionId: z.string(), answeredAt: z.date() });

export const DecisionResponse = z.object({
  taskId: z.string(),
  step: ReviewStepSchema,
  outcome: z.enum(['approve', 'reject', 'return']),
  status: TaskStatusSchema,
  currentStep: ReviewStepSchema.nullable(),
  round: z.number().int(),
  document: ReplyDocumentSchema.nullable(),
  correctionId: z.string().nullable(),
  correctionDueDate: z.string().nullable(),
  certificate: CertificateRefSchema.nullable(),
  stageCompleted: z.boolean(),
  stageRejected: z.boolean(),
  endedDependents: z.array(z.string()).describe('随之结束的后续事项'),
});

export const SpecialProcedureResponse = z.object({
  id: z.string(),
  kind: z.enum(specialProcedureKinds as [string, ...string[]]),
  name: z.string().describe('特别程序名称'),
  pausesClock: z.boolean().describe('是否暂停计时'),
  startedOn: z.string(),
});

export const EndSpecialProcedureResponse = z.object({ id: z.string(), endedOn: z.string() });

export const PreconditionResponse = z.object({
  projectId: z.string(),
  precondition: z.string(),
  awaitingConfirmation: z.array(z.string()).describe('待审批部门确认的办件'),
  formalizedTasks: z.array(z.string()).describe('已转为正式结果的办件'),
});

export const ConfirmPreconditionResponse = z.object({
  taskId: z.string(),
  simulated: z.boolean(),
  certificate: CertificateRefSchema.nullable(),
});

export const ListInspectionsResponse = z.object({
  inspections: z.array(
    z.object({
      id: z.string(),
      taskId: z.string(),
      itemCode: z.string(),
      departmentCode: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      enterpriseName: z.string(),
      status: z.enum(['pending', 'confirmed', 'revoked']),
      dueDate: z.string(),
      overdue: z.boolean(),
      result: z.string().nullable(),
      inspectedAt: z.date().nullable(),
    }),
  ),
});

export const InspectionResultResponse = z.object({
  id: z.string(),
  status: z.enum(['confirmed', 'revoked']),
});

/** A task's clock with the pauses it counted (the task and application views show them). */
const TaskClockWithPausesSchema = TaskClockSchema.extend({
  pauses: z
    .array(
      z.object({
        kind: z.string().nullable(),
        startedOn: z.string(),
        endedOn: z.string().nullable(),
        pausesClock: z.boolean(),
        workingDays: z.number().int(),
      }),
    )
    .optional(),
});

/** 申报详情 GET /api/applications/:id: the application, its materials, 容缺, 补正, commitments and tasks. */
export const ApplicationDetailResponse = z.object({
  id: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  enterpriseName: z.string(),
  enterpriseId: z.string(),
  stage: z.number().int(),
  status: ApplicationStatusSchema,
  statusName: z.string().describe('申报状态（中文）'),
  blzt: z.number().int().describe('国家办理状态代码'),
  endedAt: z.date().nullable(),
  endedReason: z.string().nullable(),
  form: z.record(z.string(), z.unknown()),
  itemCodes: z.array(z.string()),
  submittedAt: z.date(),
  acceptedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  expectedCompletion: z.string().nullable().describe('预计办结 YYYY-MM-DD'),
  refusedReason: z.string().nullable(),
  materials: z.array(
    z.object({
      materialCode: z.string(),
      fileId: z.string(),
      originalName: z.string(),
      mediaType: z.string(),
      sizeBytes: z.number().int(),
      sha256: z.string(),
    }),
  ),
  missingMaterials: z
    .array(z.object({ code: z.string(), name: z.string(), deficiencyAllowed: z.boolean() }))
    .describe('受理前尚缺的材料（可容缺的标明）'),
  deficiencies: z.array(
    z.object({
      materialCode: z.string(),
      dueDate: z.string(),
      fulfilledAt: z.date().nullable(),
      overdue: z.boolean(),
    }),
  ),
  corrections: z.array(
    z.object({
      id: z.string(),
      taskId: z.string().nullable(),
      items: z.array(CorrectionItemSchema),
      requestedAt: z.date(),
      dueDate: z.string().nullable(),
      overdue: z.boolean(),
      answeredAt: z.date().nullable(),
    }),
  ),
  commitments: z.array(z.object({ itemCode: z.string(), text: z.string(), signedAt: z.date() })),
  tasks: z.array(
    z.object({
      id: z.string(),
      itemCode: z.string(),
      departmentCode: z.string(),
      status: TaskStatusSchema,
      statusName: z.string(),
      blzt: z.number().int(),
      round: z.number().int(),
      currentStep: ReviewStepSchema.nullable(),
      deadline: z.string(),
      clock: TaskClockWithPausesSchema,
      extension: z
        .object({ workingDays: z.number().int(), reason: z.string(), decidedAt: z.date().nullable() })
        .nullable()
        .describe('已批准的延期'),
      viaCommitment: z.boolean(),
      simulated: z.boolean(),
      outcome: z.string().nullable(),
      opinion: z.string().nullable(),
      endedReason: z.string().nullable(),
      decidedAt: z.date().nullable(),
    }),
  ),
});

export const TaskDetailResponse = z.object({
  id: z.string(),
  applicationId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  enterpriseId: z.string().describe('建设单位 id (信用状况)'),
  enterpriseName: z.string(),
  constructionConditions: z.array(z.string()),
  itemCode: z.string(),
  itemName: z.string(),
  departmentCode: z.string(),
  stage: z.number().int(),
  status: TaskStatusSchema,
  statusName: z.string(),
  blzt: z.number().int().describe('国家办理状态代码'),
  round: z.number().int(),
  endedReason: z.string().nullable(),
  steps: z.array(ReviewStepSchema),
  currentStep: ReviewStepSchema.nullable(),
  startedOn: z.string(),
  deadline: z.string(),
  clock: TaskClockWithPausesSchema,
  extensions: z.array(ExtensionResponse.omit({ taskId: true, deadline: true })),
  reopenings: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      status: z.string(),
      requestedAt: z.date(),
      countersignedAt: z.date().nullable(),
      opinion: z.string().nullable(),
      fromStatus: z.string().optional().describe('纠错前的办件状态（revoked：纠正撤销决定）'),
    }),
  ),
  revocations: z
    .array(
      z.object({
        id: z.string(),
        reason: z.string(),
        legalBasis: z.string(),
        sourceType: z.enum(['department', 'inspection', 'inspection_draw']),
        certificateIdentifier: z.string().nullable(),
        revokedAt: z.date(),
        correctedAt: z.date().nullable().describe('撤销决定经纠错撤回的时间；空：撤销有效'),
        correctedReason: z.string().nullable(),
      }),
    )
    .optional()
    .describe('撤销记录（理由、依据、来源；纠错撤回的注明）'),
  viaCommitment: z.boolean(),
  simulated: z.boolean(),
  simulatedUntil: z.string().nullable(),
  outcome: z.string().nullable(),
  opinion: z.string().nullable(),
  document: ReplyDocumentSchema.nullable(),
  decisions: z.array(
    z.object({
      id: z.string(),
      outcome: z.enum(['approve', 'reject', 'return']),
      opinion: z.string(),
      document: ReplyDocumentSchema.nullable(),
      decidedAt: z.date(),
      round: z.number().int(),
      step: ReviewStepSchema,
      decidedByName: z.string(),
    }),
  ),
  pauses: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      pausesClock: z.boolean(),
      reason: z.string(),
      startedOn: z.string(),
      endedOn: z.string().nullable(),
    }),
  ),
  form: z.record(z.string(), z.unknown()).describe('申报表单'),
  materials: z.array(
    z.object({
      fileId: z.string(),
      sha256: z.string(),
      sizeBytes: z.number().int(),
      mediaType: z.string(),
      originalName: z.string(),
      materialCode: z.string(),
    }),
  ),
  alreadyReviewed: z
    .array(
      z.object({
        materialCode: z.string(),
        reviewedByItem: z.string(),
        departmentCode: z.string(),
        decidedAt: z.date().nullable(),
      }),
    )
    .describe('不再重复审查的内容'),
});

export const PendingReopeningsResponse = z.object({
  reopenings: z.array(
    z.object({
      id: z.string(),
      taskId: z.string(),
      itemCode: z.string(),
      departmentCode: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      reason: z.string(),
      status: z.enum(['pending', 'approved', 'refused']),
      fromStatus: z.string().describe('纠错前的办件状态'),
      requestedBy: z.string(),
      requestedAt: z.date(),
      countersignedBy: z.string().nullable(),
      countersignedAt: z.date().nullable(),
      opinion: z.string().nullable(),
    }),
  ),
});
