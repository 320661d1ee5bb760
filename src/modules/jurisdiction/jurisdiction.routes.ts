/** 事权 routes (issue 15): item levels (everyone logged in reads, the administrator sets) and a routing preview. */
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import {
  ItemCodeParams,
  ItemJurisdictionSchema,
  ItemJurisdictionsResponse,
  RoutingQuery,
  RoutingResponse,
  SetJurisdictionRequest,
} from './jurisdiction.schemas';
import * as service from './jurisdiction.service';

export function jurisdictionRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/jurisdiction/items',
    {
      schema: {
        tags: ['catalog'],
        summary: '事项的办理层级（事权）item levels',
        response: { 200: ItemJurisdictionsResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: await service.listItemJurisdictions(ctx.db) };
    },
  );

  app.put(
    '/api/admin/jurisdiction/items/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '设置事项的办理层级 set an item’s level',
        params: ItemCodeParams,
        body: SetJurisdictionRequest,
        response: { 200: ItemJurisdictionSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      return service.setItemJurisdiction(ctx.db, actor, ctx.clock.now(), request.params.code, request.body);
    },
  );

  app.get(
    '/api/jurisdiction/routing',
    {
      schema: {
        tags: ['catalog'],
        summary: '某区县、某投资规模的项目各事项由哪个部门办理 routing preview',
        querystring: RoutingQuery,
        response: { 200: RoutingResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return service.previewRouting(ctx.db, request.query);
    },
  );
}
