/**
 * HTTP for the joint procedures (issue 11): registers, 联合审图, 甲级 commitments, 方案联审, 多评合一,
 * 联合验收, utilities.
 */
import { fileResponse } from '../../http/file-response';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import {
  DEFAULT_OPINION_DAYS,
  MERGEABLE_ASSESSMENTS,
  SCHEME_REVIEW_ITEM,
  type FirmGrade,
  type SchemeAnswer,
  type Section,
  type SignOffArea,
} from './joint.rules';
import * as acceptance from './acceptance.service';
import * as commitments from './commitment.service';
import * as drawing from './drawing-review.service';
import * as merged from './merged-assessment.service';
import * as scheme from './scheme-review.service';
import * as registry from './registry.service';
import * as s from './joint.schemas';
import * as utilities from './utility.service';

const tags = ['joint'];
const anyStaff = ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin', 'window'] as const;

export function jointRoutes(app: App, ctx: AppContext) {
  const deps = { clock: ctx.clock, calendar: ctx.calendar };

  // The joint rules the desks need to offer the right choices (one rule, read by the web) -----------
  app.get(
    '/api/joint/reference',
    {
      schema: {
        tags,
        summary: '联合办理的参考值：方案联审事项、征求意见默认时限、可合并的评估评价事项',
        response: { 200: s.JointReferenceResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return {
        schemeReviewItem: SCHEME_REVIEW_ITEM,
        defaultOpinionDays: DEFAULT_OPINION_DAYS,
        mergeableAssessments: [...MERGEABLE_ASSESSMENTS],
      };
    },
  );

  // Registers ---------------------------------------------------------------------------------------
  app.post(
    '/api/joint/organisations',
    {
      schema: {
        tags,
        summary: '登记图审机构 / 测绘机构',
        body: s.OrganisationRequest,
        response: { 201: s.OrganisationResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await registry.registerOrganisation(ctx.db, deps, requireActor(request, ['admin']), request.body),
        ),
  );
  app.get(
    '/api/joint/organisations',
    {
      schema: {
        tags,
        summary: '图审机构、测绘机构及审查人员',
        querystring: s.OrganisationListQuery,
        response: { 200: s.OrganisationListResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return registry.listOrganisations(ctx.db, request.query.kind);
    },
  );
  app.post(
    '/api/joint/organisations/:id/reviewers',
    {
      schema: {
        tags,
        summary: '登记审查人员及其审查专业',
        params: s.IdParams,
        body: s.ReviewerRequest,
        response: { 200: s.ReviewerResponse },
      },
    },
    async (request) =>
      registry.registerReviewer(ctx.db, deps, requireActor(request, ['admin']), request.params.id, {
        ...request.body,
        sections: request.body.sections as Section[],
      }),
  );
  app.post(
    '/api/joint/design-firms',
    {
      schema: {
        tags,
        summary: '登记设计单位及资质',
        body: s.DesignFirmRequest,
        response: { 201: s.DesignFirmResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await registry.registerDesignFirm(ctx.db, deps, requireActor(request, ['admin']), {
          ...request.body,
          grade: request.body.grade as FirmGrade,
        }),
      ),
  );
  app.post(
    '/api/joint/design-firms/:id',
    {
      schema: {
        tags,
        summary: '更新设计单位资质（延续、降级、更正）',
        params: s.IdParams,
        body: s.DesignFirmUpdateRequest,
        response: { 200: s.DesignFirmResponse },
      },
    },
    async (request) =>
      registry.updateDesignFirm(ctx.db, deps, requireActor(request, ['admin']), request.params.id, {
        ...request.body,
        grade: request.body.grade as FirmGrade | undefined,
      }),
  );
  app.get(
    '/api/joint/design-firms',
    { schema: { tags, summary: '设计单位名录', response: { 200: s.DesignFirmListResponse } } },
    async (request) => {
      requireActor(request);
      return registry.listDesignFirms(ctx.db);
    },
  );

  // 甲级 commitment exemption (task 30) --------------------------------------------------------------
  app.post(
    '/api/joint/projects/:id/design-commitments',
    {
      schema: {
        tags,
        summary: '设计单位和设计负责人签署终身负责承诺（甲级免审）',
        params: s.IdParams,
        body: s.CommitmentRequest,
        response: { 201: s.CommitmentResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await commitments.signDesignCommitment(
            ctx.db,
            deps,
            requireActor(request, ['applicant', 'agent']),
            request.params.id,
            request.body,
          ),
        ),
  );
  app.get(
    '/api/joint/projects/:id/design-commitments',
    {
      schema: {
        tags,
        summary: '项目的设计终身负责承诺',
        params: s.IdParams,
        response: { 200: s.CommitmentListResponse },
      },
    },
    async (request) => commitments.listDesignCommitments(ctx.db, requireActor(request), request.params.id),
  );
  app.get(
    '/api/joint/design-commitments/:id/pdf',
    {
      schema: {
        tags,
        summary: '打印设计终身负责承诺书 (A4 PDF, 出图专用章, SM2 签名)',
        params: s.IdParams,
        produces: ['application/pdf'],
        response: { 200: fileResponse('设计终身负责承诺书 PDF', 'application/pdf') },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await commitments.renderCommitmentPdf(
        ctx.db,
        requireActor(request),
        request.params.id,
      );
      return reply
        .type('application/pdf')
        .header(
          'Content-Disposition',
          `inline; filename="commitment-${request.params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        )
        .header('Cache-Control', 'private, no-store')
        .send(pdf);
    },
  );
  app.post(
    '/api/joint/design-commitments/:id/revoke',
    {
      schema: {
        tags,
        summary: '撤销承诺（承诺不实），中止其上的证照',
        params: s.IdParams,
        body: s.ReasonRequest,
        response: { 200: s.RevokeResponse },
      },
    },
    async (request) =>
      commitments.revokeDesignCommitment(
        ctx.db,
        deps,
        requireActor(request, ['supervisor', 'admin', 'head']),
        request.params.id,
        request.body.reason,
      ),
  );

  // 联合审图 ----------------------------------------------------------------------------------------
  app.post(
    '/api/joint/drawing-reviews',
    {
      schema: {
        tags,
        summary: '申请联合审图（选择图审机构）',
        body: s.OpenReviewRequest,
        response: { 201: s.DrawingReviewResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await drawing.openDrawingReview(ctx.db, deps, requireActor(request), request.body)),
  );
  app.get(
    '/api/joint/drawing-reviews',
    {
      schema: {
        tags,
        summary: '图审机构工作台：联合审图列表',
        querystring: s.DrawingReviewListQuery,
        response: { 200: s.DrawingReviewListResponse },
      },
    },
    async (request) => drawing.listDrawingReviews(ctx.db, requireActor(request), request.query.projectId),
  );
  app.get(
    '/api/joint/drawing-reviews/:id',
    {
      schema: {
        tags,
        summary: '联合审图详情（各专业结论、违反强条数）',
        params: s.IdParams,
        response: { 200: s.DrawingReviewResponse },
      },
    },
    async (request) => drawing.getDrawingReview(ctx.db, requireActor(request), request.params.id),
  );
  app.post(
    '/api/joint/drawing-reviews/:id/sections',
    {
      schema: {
        tags,
        summary: '专业审查结论（具备该专业资格的审查人员）',
        params: s.IdParams,
        body: s.SectionDecisionRequest,
        response: { 200: s.DrawingReviewResponse },
      },
    },
    async (request) =>
      drawing.decideSection(ctx.db, deps, requireActor(request, ['reviewer', 'senior']), request.params.id, {
        ...request.body,
        section: request.body.section as Section,
      }),
  );
  app.post(
    '/api/joint/drawing-reviews/:id/next-round',
    {
      schema: {
        tags,
        summary: '修改后复审（不合格专业重新审查）',
        params: s.IdParams,
        response: { 200: s.DrawingReviewResponse },
      },
    },
    async (request) => drawing.startNextRound(ctx.db, deps, requireActor(request), request.params.id),
  );
  app.post(
    '/api/joint/drawing-reviews/:id/revoke',
    {
      schema: {
        tags,
        summary: '撤销审查结论：合格书撤销，施工许可证中止',
        params: s.IdParams,
        body: s.ReasonRequest,
        response: { 200: s.DrawingReviewResponse },
      },
    },
    async (request) =>
      drawing.revokeDrawingReview(
        ctx.db,
        deps,
        requireActor(request),
        request.params.id,
        request.body.reason,
      ),
  );

  // 方案联审 (task 17) --------------------------------------------------------------------------------
  app.post(
    '/api/joint/scheme-reviews',
    {
      schema: {
        tags,
        summary: '组织方案联审：向相关部门征求意见（各部门反馈时限，工作日）',
        body: s.OpenSchemeReviewRequest,
        response: { 201: s.SchemeReviewResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await scheme.openSchemeReview(
            ctx.db,
            deps,
            requireActor(request, ['reviewer', 'senior', 'head']),
            request.body,
          ),
        ),
  );
  app.get(
    '/api/joint/scheme-reviews',
    {
      schema: {
        tags,
        summary: '方案联审列表（组织的、被征求意见的、项目的）',
        querystring: s.SchemeReviewListQuery,
        response: { 200: s.SchemeReviewListResponse },
      },
    },
    async (request) => scheme.listSchemeReviews(ctx.db, deps, requireActor(request), request.query.projectId),
  );
  app.get(
    '/api/joint/scheme-reviews/:id',
    {
      schema: {
        tags,
        summary: '方案联审详情（征求意见记录）',
        params: s.IdParams,
        response: { 200: s.SchemeReviewResponse },
      },
    },
    async (request) => scheme.getSchemeReview(ctx.db, deps, requireActor(request), request.params.id),
  );
  app.post(
    '/api/joint/scheme-reviews/:id/opinions',
    {
      schema: {
        tags,
        summary: '被征求意见部门反馈：同意 / 有条件同意 / 不同意',
        params: s.IdParams,
        body: s.SchemeOpinionRequest,
        response: { 200: s.SchemeReviewResponse },
      },
    },
    async (request) =>
      scheme.answerSchemeOpinion(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior', 'head']),
        request.params.id,
        { ...request.body, answer: request.body.answer as SchemeAnswer },
      ),
  );
  app.post(
    '/api/joint/scheme-reviews/:id/conclusion',
    {
      schema: {
        tags,
        summary: '方案联审结论：通过（办结设计方案审查）或退回修改',
        params: s.IdParams,
        body: s.SchemeConclusionRequest,
        response: { 200: s.SchemeReviewResponse },
      },
    },
    async (request) =>
      scheme.concludeSchemeReview(
        ctx.db,
        deps,
        requireActor(request, ['senior', 'head']),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/joint/scheme-reviews/:id/next-round',
    {
      schema: {
        tags,
        summary: '方案修改后重新征求意见',
        params: s.IdParams,
        body: s.SchemeNextRoundRequest,
        response: { 200: s.SchemeReviewResponse },
      },
    },
    async (request) =>
      scheme.nextSchemeRound(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior', 'head']),
        request.params.id,
        request.body.departments ? { departments: request.body.departments } : {},
      ),
  );

  // 多评合一 (task 50) --------------------------------------------------------------------------------
  app.post(
    '/api/joint/merged-assessments',
    {
      schema: {
        tags,
        summary: '申请多评合一（一次申请、一次告知）',
        body: s.OpenMergedAssessmentRequest,
        response: { 201: s.MergedAssessmentResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await merged.openMergedAssessment(
            ctx.db,
            deps,
            requireActor(request, ['applicant', 'agent']),
            request.body,
          ),
        ),
  );
  app.get(
    '/api/joint/merged-assessments',
    {
      schema: {
        tags,
        summary: '多评合一列表',
        querystring: s.MergedAssessmentListQuery,
        response: { 200: s.MergedAssessmentListResponse },
      },
    },
    async (request) => merged.listMergedAssessments(ctx.db, requireActor(request), request.query.projectId),
  );
  app.get(
    '/api/joint/merged-assessments/:id',
    {
      schema: {
        tags,
        summary: '多评合一详情（告知、报告、评审会议、各项结论）',
        params: s.IdParams,
        response: { 200: s.MergedAssessmentResponse },
      },
    },
    async (request) => merged.getMergedAssessment(ctx.db, requireActor(request), request.params.id),
  );
  app.post(
    '/api/joint/merged-assessments/:id/report',
    {
      schema: {
        tags,
        summary: '提交合并编制的评估报告（不合格后提交修改报告）',
        params: s.IdParams,
        body: s.MergedReportRequest,
        response: { 200: s.MergedAssessmentResponse },
      },
    },
    async (request) =>
      merged.submitReport(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent']),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/joint/merged-assessments/:id/meeting',
    {
      schema: {
        tags,
        summary: '记录集中评审会议及专家',
        params: s.IdParams,
        body: s.MergedMeetingRequest,
        response: { 200: s.MergedAssessmentResponse },
      },
    },
    async (request) =>
      merged.recordMeeting(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior', 'head']),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/joint/merged-assessments/:id/conclusions',
    {
      schema: {
        tags,
        summary: '审批部门依据集中评审出具本项评估结论',
        params: s.IdParams,
        body: s.MergedConclusionRequest,
        response: { 200: s.MergedAssessmentResponse },
      },
    },
    async (request) =>
      merged.decideAssessment(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior', 'head']),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/joint/merged-assessments/:id/withdraw',
    {
      schema: {
        tags,
        summary: '撤回多评合一（各项评估改为单独办理）',
        params: s.IdParams,
        body: s.ReasonRequest,
        response: { 200: s.MergedAssessmentResponse },
      },
    },
    async (request) =>
      merged.withdrawMergedAssessment(
        ctx.db,
        deps,
        requireActor(request),
        request.params.id,
        request.body.reason,
      ),
  );

  // 联合验收 ----------------------------------------------------------------------------------------
  app.post(
    '/api/joint/acceptances',
    {
      schema: {
        tags,
        summary: '申请联合验收（联合测绘和检测报告共享）',
        body: s.OpenAcceptanceRequest,
        response: { 201: s.AcceptanceResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await acceptance.openJointAcceptance(ctx.db, deps, requireActor(request), request.body)),
  );
  app.get(
    '/api/joint/acceptances',
    { schema: { tags, summary: '联合验收工作台', response: { 200: s.AcceptanceListResponse } } },
    async (request) => acceptance.listJointAcceptances(ctx.db, requireActor(request, [...anyStaff])),
  );
  app.get(
    '/api/joint/acceptances/:id',
    {
      schema: {
        tags,
        summary: '联合验收详情（六方签署）',
        params: s.IdParams,
        response: { 200: s.AcceptanceResponse },
      },
    },
    async (request) => acceptance.getJointAcceptance(ctx.db, requireActor(request), request.params.id),
  );
  app.post(
    '/api/joint/acceptances/:id/signoffs',
    {
      schema: {
        tags,
        summary: '部门签署验收意见（不另行现场踏勘）',
        params: s.IdParams,
        body: s.SignOffRequest,
        response: { 200: s.AcceptanceResponse },
      },
    },
    async (request) =>
      acceptance.signOff(
        ctx.db,
        deps,
        requireActor(request, ['reviewer', 'senior', 'head']),
        request.params.id,
        {
          ...request.body,
          area: request.body.area as SignOffArea,
        },
      ),
  );

  // 市政公用 ----------------------------------------------------------------------------------------
  app.get(
    '/api/joint/projects/:id/utilities',
    {
      schema: {
        tags,
        summary: '项目的市政公用报装',
        params: s.IdParams,
        response: { 200: s.UtilityCaseListResponse },
      },
    },
    async (request) => utilities.listProjectUtilities(ctx.db, requireActor(request), request.params.id),
  );
  app.get(
    '/api/joint/utilities',
    { schema: { tags, summary: '市政公用单位工作台', response: { 200: s.UtilityDeskResponse } } },
    async (request) => utilities.utilityDesk(ctx.db, requireActor(request)),
  );
  app.get(
    '/api/joint/utilities/stats',
    {
      schema: {
        tags,
        summary: '各公用单位办理时间统计（工作日）',
        response: { 200: s.UtilityStatsResponse },
      },
    },
    async (request) => {
      requireActor(request, [...anyStaff]);
      return utilities.utilityStats(ctx.db, deps);
    },
  );
  app.post(
    '/api/joint/utilities/:id/works',
    {
      schema: {
        tags,
        summary: '记录施工阶段配套工程进展',
        params: s.IdParams,
        body: s.NoteRequest,
        response: { 200: s.UtilityCaseResponse },
      },
    },
    async (request) =>
      utilities.recordWork(ctx.db, deps, requireActor(request), request.params.id, request.body.note),
  );
  app.post(
    '/api/joint/utilities/:id/connect',
    {
      schema: {
        tags,
        summary: '接入（竣工验收后）',
        params: s.IdParams,
        body: s.NoteRequest,
        response: { 200: s.UtilityCaseResponse },
      },
    },
    async (request) =>
      utilities.connect(ctx.db, deps, requireActor(request), request.params.id, request.body.note),
  );
  app.post(
    '/api/joint/utilities/:id/not-needed',
    {
      schema: {
        tags,
        summary: '申请人声明不需要该项公用服务',
        params: s.IdParams,
        body: s.ReasonRequest,
        response: { 200: s.UtilityCaseResponse },
      },
    },
    async (request) =>
      utilities.declareNotNeeded(
        ctx.db,
        deps,
        requireActor(request, ['applicant', 'agent']),
        request.params.id,
        request.body.reason,
      ),
  );
}
