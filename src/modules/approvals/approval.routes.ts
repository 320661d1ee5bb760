import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import {
  AcceptRequest,
  AnswerCorrectionRequest,
  CorrectionsRequest,
  DecisionRequest,
  DeficiencyParams,
  IdempotencyHeaders,
  IdParams,
  InspectionResultRequest,
  ListApplicationsExportQuery,
  ListApplicationsQuery,
  ListInspectionsQuery,
  PauseParams,
  PreconditionRequest,
  RefuseRequest,
  SpecialProcedureRequest,
  SubmitApplicationRequest,
  SubmitApplicationResponse,
  SupplyDeficiencyRequest,
  ReasonRequest,
  ExtensionRequest,
  ExtensionParams,
  ExtensionDecisionRequest,
  ReopenParams,
  CountersignRequest,
  ConfirmPreconditionRequest,
  EndApplicationResponse,
  ExtensionResponse,
  ReopenRequestResponse,
  CountersignResponse,
  HeadDeskResponse,
  InboxExportQuery,
  InboxQuery,
  InboxResponse,
  RevokeRequest,
  RevokeResponse,
  AcceptResponse,
  ApplicationDetailResponse,
  AnswerCorrectionResponse,
  ApplicationEventsResponse,
  ConfirmPreconditionResponse,
  CorrectionsResponse,
  DecisionResponse,
  EndSpecialProcedureResponse,
  InspectionResultResponse,
  ListApplicationsResponse,
  ListInspectionsResponse,
  PreconditionResponse,
  RefuseResponse,
  SpecialProcedureResponse,
  SupplyDeficiencyResponse,
  TaskDetailResponse,
  PendingReopeningsResponse,
  ReferenceValuesResponse,
} from './approval.schemas';
import { applicationsWorkbook, inboxWorkbook } from './inbox.export';
import { exportHeading } from '../../shared/workbook';
import { beijingDateTime } from '../calendar/calendar.rules';
import * as accept from './accept.service';
import * as views from './application-view.service';
import * as corrections from './correction.service';
import * as decisions from './decide.service';
import * as deficiencies from './deficiency.service';
import * as ending from './end-application.service';
import * as extensions from './extension.service';
import * as headDesk from './head-desk.service';
import * as inspections from './inspection.service';
import * as preconditions from './precondition.service';
import * as reopen from './reopen.service';
import * as revocation from './revoke.service';
import * as special from './special-procedure.service';
import * as submit from './submit.service';
import * as taskViews from './task-view.service';
import * as window from './window.service';
import { referenceValues } from './reference.service';
import type { SpecialProcedureKind } from './approval.rules';

const staff = ['window', 'reviewer', 'senior', 'coordinator', 'supervisor', 'admin', 'agent'] as const;

export function approvalRoutes(app: App, ctx: AppContext) {
  const deps = {
    clock: ctx.clock,
    calendar: ctx.calendar,
    correctionDueWorkingDays: ctx.config.correctionDueWorkingDays,
  };

  app.get(
    '/api/reference-values',
    {
      schema: {
        tags: ['applications'],
        summary:
          '办理规则的参考值：容缺与补正的默认期限、长期有效日期、计时状态 (the web shows these, never copies them)',
        response: { 200: ReferenceValuesResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return referenceValues(deps);
    },
  );

  app.post(
    '/api/projects/:id/applications',
    {
      schema: {
        tags: ['applications'],
        summary: '阶段申报：一张表单、一套材料 submit a stage application',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: SubmitApplicationRequest,
        response: { 201: SubmitApplicationResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['applicant', 'agent']);
      const result = await submit.submitApplication(
        ctx.db,
        deps,
        actor,
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/applications',
    {
      schema: {
        tags: ['applications'],
        summary: '申报列表（窗口收件队列）：可检索、筛选、排序、分页；区县窗口只见本区县',
        querystring: ListApplicationsQuery,
        response: { 200: ListApplicationsResponse },
      },
    },
    async (request) => views.listApplications(ctx.db, requireActor(request), request.query),
  );

  app.get(
    '/api/applications/export.xlsx',
    {
      schema: {
        tags: ['applications'],
        summary: '导出申报列表 (Excel)：与窗口收件队列相同的检索、筛选与排序，全部符合条件的申报',
        querystring: ListApplicationsExportQuery,
        response: { 200: z.any().describe('Excel 工作簿 (xlsx)') },
      },
    },
    async (request, reply) => {
      const { rows, total } = await views.exportApplications(ctx.db, requireActor(request), request.query);
      const heading = exportHeading(beijingDateTime(ctx.clock.now()), total, rows.length);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', 'attachment; filename="applications.xlsx"')
        .header('Cache-Control', 'private, no-store')
        .send(await applicationsWorkbook(rows, heading));
    },
  );

  app.get(
    '/api/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary: '申报详情',
        params: IdParams,
        response: { 200: ApplicationDetailResponse },
      },
    },
    async (request) => views.getApplication(ctx.db, deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/applications/:id/accept',
    {
      schema: {
        tags: ['window'],
        summary: '一窗受理 accept (starts every item in parallel)',
        params: IdParams,
        body: AcceptRequest,
        response: { 200: AcceptResponse },
      },
    },
    async (request) =>
      accept.acceptApplication(
        ctx.db,
        deps,
        requireActor(request, ['window']),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/applications/:id/corrections',
    {
      schema: {
        tags: ['window'],
        summary: '一次性告知补正 ask for corrections',
        params: IdParams,
        body: CorrectionsRequest,
        response: { 201: CorrectionsResponse },
      },
    },
    async (request, reply) => {
      const result = await window.requestCorrections(
        ctx.db,
        deps,
        requireActor(request, ['window']),
        request.params.id,
        request.body.items,
        request.body.dueDate,
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/applications/:id/refuse',
    {
      schema: {
        tags: ['window'],
        summary: '不予受理 refuse with a reason',
        params: IdParams,
        body: RefuseRequest,
        response: { 200: RefuseResponse },
      },
    },
    async (request) =>
      window.refuseApplication(
        ctx.db,
        deps,
        requireActor(request, ['window']),
        request.params.id,
        request.body.reason,
      ),
  );

  app.post(
    '/api/applications/:id/deficiencies/:materialCode',
    {
      schema: {
        tags: ['applications'],
        summary: '补交容缺材料',
        params: DeficiencyParams,
        body: SupplyDeficiencyRequest,
        response: { 200: SupplyDeficiencyResponse },
      },
    },
    async (request) =>
      deficiencies.supplyDeficiency(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent']),
        request.params.id,
        request.params.materialCode,
        request.body.fileId,
      ),
  );

  app.get(
    '/api/applications/:id/events',
    {
      schema: {
        tags: ['applications'],
        summary: '办件全过程记录（工作人员）',
        params: IdParams,
        response: { 200: ApplicationEventsResponse },
      },
    },
    async (request) => ({
      events: await taskViews.applicationEvents(ctx.db, requireActor(request, [...staff]), request.params.id),
    }),
  );

  app.post(
    '/api/corrections/:id/answer',
    {
      schema: {
        tags: ['applications'],
        summary: '答复补正',
        params: IdParams,
        body: AnswerCorrectionRequest,
        response: { 200: AnswerCorrectionResponse },
      },
    },
    async (request) =>
      corrections.answerCorrection(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent']),
        request.params.id,
        request.body,
      ),
  );

  app.get(
    '/api/tasks',
    {
      config: { roles: ['reviewer', 'senior'] },
      schema: {
        tags: ['tasks'],
        summary: '待办箱：本部门、本环节；可检索、筛选、排序、分页（默认按办理期限）',
        querystring: InboxQuery,
        response: { 200: InboxResponse },
      },
    },
    async (request) =>
      taskViews.inbox(ctx.db, deps, requireActor(request, ['reviewer', 'senior']), request.query),
  );

  app.get(
    '/api/tasks/export.xlsx',
    {
      config: { roles: ['reviewer', 'senior'] },
      schema: {
        tags: ['tasks'],
        summary: '导出待办箱 (Excel)：与列表相同的检索、筛选与排序，全部符合条件的办件',
        querystring: InboxExportQuery,
        response: { 200: z.any().describe('Excel 工作簿 (xlsx)') },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['reviewer', 'senior']);
      const { tasks, total } = await taskViews.inbox(ctx.db, deps, actor, request.query);
      const at = beijingDateTime(ctx.clock.now());
      const heading = exportHeading(at, total, tasks.length);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', 'attachment; filename="inbox.xlsx"')
        .header('Cache-Control', 'private, no-store')
        .send(await inboxWorkbook(tasks, heading));
    },
  );

  app.get(
    '/api/head/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: '部门负责人：待审批的延期与本部门已办结事项（可提出纠错）',
        response: { 200: HeadDeskResponse },
      },
    },
    async (request) => ({
      tasks: await headDesk.headDesk(ctx.db, deps, requireActor(request, ['head'])),
    }),
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: '办件详情（含不再重复审查的内容）',
        params: IdParams,
        response: { 200: TaskDetailResponse },
      },
    },
    async (request) => taskViews.getTask(ctx.db, deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/tasks/:id/decisions',
    {
      schema: {
        tags: ['tasks'],
        summary: '初核/复核决定 decide a step',
        params: IdParams,
        body: DecisionRequest,
        response: { 200: DecisionResponse },
      },
    },
    async (request) =>
      decisions.decide(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/tasks/:id/special-procedures',
    {
      schema: {
        tags: ['tasks'],
        summary: '启动特别程序',
        params: IdParams,
        body: SpecialProcedureRequest,
        response: { 201: SpecialProcedureResponse },
      },
    },
    async (request, reply) => {
      const result = await special.startSpecialProcedure(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        {
          kind: request.body.kind as SpecialProcedureKind,
          reason: request.body.reason,
        },
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/tasks/:id/special-procedures/:pauseId/end',
    {
      schema: {
        tags: ['tasks'],
        summary: '结束特别程序',
        params: PauseParams,
        response: { 200: EndSpecialProcedureResponse },
      },
    },
    async (request) =>
      special.endSpecialProcedure(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        request.params.pauseId,
      ),
  );

  app.post(
    '/api/projects/:id/preconditions',
    {
      schema: {
        tags: ['applications'],
        summary: '模拟审批：补充前提条件，模拟结果转正式',
        params: IdParams,
        body: PreconditionRequest,
        response: { 200: PreconditionResponse },
      },
    },
    async (request) =>
      preconditions.supplyPrecondition(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent', 'window']),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/tasks/:id/confirm-precondition',
    {
      schema: {
        tags: ['tasks'],
        summary: '模拟审批：审批部门确认前提条件证明，结果转为正式',
        params: IdParams,
        body: ConfirmPreconditionRequest,
        response: { 200: ConfirmPreconditionResponse },
      },
    },
    async (request) =>
      preconditions.confirmPrecondition(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        request.body.opinion,
      ),
  );

  app.get(
    '/api/inspections',
    {
      schema: {
        tags: ['inspections'],
        summary: '告知承诺事后核查任务',
        querystring: ListInspectionsQuery,
        response: { 200: ListInspectionsResponse },
      },
    },
    async (request) => ({
      inspections: await inspections.listInspections(
        ctx.db,
        deps,
        requireActor(request),
        request.query.status,
      ),
    }),
  );

  app.post(
    '/api/inspections/:id/result',
    {
      schema: {
        tags: ['inspections'],
        summary: '核查结论：确认或撤销',
        params: IdParams,
        body: InspectionResultRequest,
        response: { 200: InspectionResultResponse },
      },
    },
    async (request) =>
      inspections.recordInspectionResult(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/applications/:id/withdraw',
    {
      schema: {
        tags: ['applications'],
        summary: '撤回申报（申请人或帮办代办，阶段办结前）',
        params: IdParams,
        body: ReasonRequest,
        response: { 200: EndApplicationResponse },
      },
    },
    async (request) =>
      ending.withdrawApplication(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent']),
        request.params.id,
        request.body.reason,
      ),
  );

  app.post(
    '/api/applications/:id/terminate',
    {
      schema: {
        tags: ['window'],
        summary: '终止办理（补正逾期未答复）',
        params: IdParams,
        body: ReasonRequest,
        response: { 200: EndApplicationResponse },
      },
    },
    async (request) =>
      ending.terminateApplication(
        ctx.db,
        deps,
        requireActor(request, ['window']),
        request.params.id,
        request.body.reason,
      ),
  );

  app.post(
    '/api/tasks/:id/extensions',
    {
      schema: {
        tags: ['tasks'],
        summary: '申请延期（《行政许可法》第四十二条）',
        params: IdParams,
        body: ExtensionRequest,
        response: { 201: ExtensionResponse },
      },
    },
    async (request, reply) => {
      const result = await extensions.requestExtension(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior']),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/tasks/:id/extensions/:extId/decision',
    {
      schema: {
        tags: ['tasks'],
        summary: '部门负责人审批延期',
        params: ExtensionParams,
        body: ExtensionDecisionRequest,
        response: { 200: ExtensionResponse },
      },
    },
    async (request) =>
      extensions.decideExtension(
        ctx.db,
        deps,
        requireActor(request, ['head']),
        request.params.id,
        request.params.extId,
        request.body,
      ),
  );

  app.post(
    '/api/tasks/:id/revoke',
    {
      schema: {
        tags: ['tasks'],
        summary: '撤销审批决定（部门负责人；证照随之撤销，记入信用记录，通知申请人）',
        params: IdParams,
        body: RevokeRequest,
        response: { 200: RevokeResponse },
      },
    },
    async (request) =>
      revocation.revokeApproval(
        ctx.db,
        deps,
        requireActor(request, ['head']),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/tasks/:id/reopen',
    {
      schema: {
        tags: ['tasks'],
        summary: '纠错：部门负责人申请重新办理（须监察会签）',
        params: IdParams,
        body: ReasonRequest,
        response: { 201: ReopenRequestResponse },
      },
    },
    async (request, reply) => {
      const result = await reopen.requestReopen(
        ctx.db,
        deps,
        requireActor(request, ['head']),
        request.params.id,
        request.body.reason,
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/tasks/:id/reopen/:reopenId/countersign',
    {
      schema: {
        tags: ['supervision'],
        summary: '电子监察会签纠错',
        params: ReopenParams,
        body: CountersignRequest,
        response: { 200: CountersignResponse },
      },
    },
    async (request) =>
      reopen.countersignReopen(
        ctx.db,
        deps,
        requireActor(request, ['supervisor']),
        request.params.id,
        request.params.reopenId,
        request.body,
      ),
  );

  app.get(
    '/api/reopenings',
    {
      schema: {
        tags: ['supervision'],
        summary: '待会签的纠错申请',
        response: { 200: PendingReopeningsResponse },
      },
    },
    async (request) => {
      requireActor(request, ['supervisor', 'admin']);
      return { reopenings: await reopen.listPendingReopenings(ctx.db) };
    },
  );
}
