/** 帮办代办 routes (issue 16 item 11): the enterprise's consents and the agents it may name. */
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import {
  AgentListResponse,
  ConsentIdParams,
  ConsentListResponse,
  ConsentViewSchema,
  GrantConsentRequest,
  RevokeConsentRequest,
} from './agency.schemas';
import * as service from './agency.service';

export function agencyRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/agency/agents',
    {
      config: { roles: ['applicant'] },
      schema: {
        tags: ['agency'],
        summary: '可委托的帮办代办人员 agents an enterprise may name',
        response: { 200: AgentListResponse },
      },
    },
    async (request) => {
      requireActor(request, ['applicant']);
      return { agents: await service.listAgents(ctx.db, ctx.clock.now()) };
    },
  );

  app.get(
    '/api/agency/consents',
    {
      config: { roles: ['applicant', 'agent', 'window', 'supervisor', 'admin'] },
      schema: {
        tags: ['agency'],
        summary: '委托代办记录：企业看本企业的，代办人员看委托给自己的 consents',
        response: { 200: ConsentListResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return { consents: await service.listConsents(ctx.db, actor, ctx.clock.now()) };
    },
  );

  app.post(
    '/api/agency/consents',
    {
      config: { roles: ['applicant'] },
      schema: {
        tags: ['agency'],
        summary: '建设单位委托帮办代办（登记项目、阶段申报，截止某日）give consent',
        body: GrantConsentRequest,
        response: { 201: ConsentViewSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['applicant']);
      return reply.status(201).send(await service.grantConsent(ctx.db, actor, ctx.clock.now(), request.body));
    },
  );

  app.post(
    '/api/agency/consents/:id/revoke',
    {
      config: { roles: ['applicant'] },
      schema: {
        tags: ['agency'],
        summary: '建设单位撤销委托 revoke a consent',
        params: ConsentIdParams,
        body: RevokeConsentRequest,
        response: { 200: ConsentViewSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['applicant']);
      return service.revokeConsent(ctx.db, actor, ctx.clock.now(), request.params.id, request.body.reason);
    },
  );
}
