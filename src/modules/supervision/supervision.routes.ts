/** HTTP of electronic supervision: clocks, notifications, 督办 orders, anomaly rules. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import * as anomalies from './anomaly.service';
import * as service from './supervision.service';

const ClockState = z.enum(['normal', 'warning', 'overdue']);
const Id = z.object({ id: z.uuid() });
const tags = ['supervision'];

const TaskRow = z.object({
  id: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  stage: z.number().int(),
  status: z.string(),
  deadline: z.string(),
  remainingWorkingDays: z.number().int(),
  overdueWorkingDays: z.number().int(),
  clockState: ClockState,
  paused: z.boolean(),
  pausedWorkingDays: z.number().int(),
  /** 延期: working days an approved extension added (0: none) and whether there was one. */
  extendedDays: z.number().int(),
  extended: z.boolean(),
});

const OrderRow = z.object({
  id: z.string(),
  taskId: z.string(),
  itemName: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  stage: z.number().int(),
  message: z.string(),
  responseWorkingDays: z.number().int(),
  dueDate: z.string(),
  status: z.enum(['open', 'answered', 'escalated']),
  issuedAt: z.date(),
  response: z.string().nullable(),
  respondedAt: z.date().nullable(),
  escalatedAt: z.date().nullable(),
});

/** A 督办 order as stored: what issuing and answering it return. */
const OrderRecord = OrderRow.pick({
  id: true,
  taskId: true,
  departmentCode: true,
  stage: true,
  message: true,
  responseWorkingDays: true,
  dueDate: true,
  status: true,
  issuedAt: true,
  response: true,
  respondedAt: true,
  escalatedAt: true,
}).extend({ issuedBy: z.string(), respondedBy: z.string().nullable() });

const AnomalyRecord = z.object({
  id: z.string(),
  rule: z.string(),
  status: z.enum(['open', 'closed']),
  objectType: z.string(),
  objectId: z.string(),
  detail: z.record(z.string(), z.unknown()),
  detectedAt: z.date(),
  closedBy: z.string().nullable(),
  closedAt: z.date().nullable(),
  note: z.string().nullable(),
});

const NotificationList = z.object({
  notifications: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      body: z.string(),
      objectType: z.string(),
      objectId: z.string(),
      /** The project the notification concerns (through its task, application or certificate), if any. */
      projectId: z.string().nullable(),
      createdAt: z.date(),
      readAt: z.date().nullable(),
    }),
  ),
  /** Unread in all (the list holds the newest 200). */
  unreadCount: z.number().int(),
});

export function supervisionRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/supervision/tasks',
    {
      schema: {
        tags,
        summary: '办件计时监察列表 running tasks with their clocks (正常/预警/逾期)',
        querystring: z.object({
          clockState: ClockState.optional(),
          departmentCode: z.string().min(1).max(16).optional(),
          stage: z.coerce.number().int().min(1).max(5).optional(),
        }),
        response: { 200: z.object({ tasks: z.array(TaskRow) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['supervisor', 'admin', 'coordinator']);
      return { tasks: await service.listTasks(ctx.db, ctx, actor, request.query) };
    },
  );

  app.put(
    '/api/supervision/clock-settings/:itemCode',
    {
      schema: {
        tags,
        summary: '设置事项预警阈值 per-item warning threshold (working days)',
        params: z.object({ itemCode: z.string().min(1).max(64) }),
        body: z.object({ warningDays: z.number().int().min(1).max(365) }),
        response: { 200: z.object({ itemCode: z.string(), warningDays: z.number().int() }) },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['supervisor', 'admin']);
      return service.setWarningDays(ctx.db, ctx, actor, request.params.itemCode, request.body.warningDays);
    },
  );

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '我的通知 my notifications',
        querystring: z.object({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: NotificationList },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return service.listNotifications(ctx.db, actor, request.query.unread === 'true');
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: '标记已读 mark read',
        params: Id,
        response: { 200: z.object({ id: z.string(), readAt: z.date() }) },
      },
    },
    async (request) => service.markRead(ctx.db, ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/api/supervision/orders',
    {
      schema: {
        tags,
        summary: '发起督办 issue a 督办 order',
        body: z.object({
          taskId: z.uuid(),
          message: z.string().trim().min(2).max(2000),
          responseWorkingDays: z.number().int().min(1).max(60),
        }),
        response: { 201: OrderRecord },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['supervisor', 'coordinator']);
      const order = await service.issueOrder(ctx.db, ctx, actor, request.body);
      return reply.code(201).send(order);
    },
  );

  app.get(
    '/api/supervision/orders',
    {
      schema: {
        tags,
        summary: '督办单 orders (mine=true: my department)',
        querystring: z.object({ mine: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ orders: z.array(OrderRow) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request, [
        'supervisor',
        'admin',
        'coordinator',
        'reviewer',
        'senior',
        'head',
      ]);
      return { orders: await service.listOrders(ctx.db, actor, request.query.mine === 'true') };
    },
  );

  app.post(
    '/api/supervision/orders/:id/response',
    {
      schema: {
        tags,
        summary: '答复督办 answer an order (once)',
        params: Id,
        body: z.object({ response: z.string().trim().min(2).max(4000) }),
        response: { 200: OrderRecord },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['reviewer', 'senior', 'head', 'coordinator']);
      return service.respondOrder(ctx.db, ctx, actor, request.params.id, request.body.response);
    },
  );

  app.post(
    '/api/supervision/anomalies/scan',
    {
      schema: {
        tags,
        summary: '运行电子监察规则 run the anomaly rules now',
        response: {
          200: z.object({
            hits: z.number().int().describe('命中数'),
            created: z.number().int().describe('新增异常数'),
          }),
        },
      },
    },
    async (request) => anomalies.scanAnomalies(ctx.db, ctx, requireActor(request, ['supervisor'])),
  );

  app.get(
    '/api/supervision/anomalies',
    {
      schema: {
        tags,
        summary: '监察异常 anomaly hits',
        querystring: z.object({
          status: z.enum(['open', 'closed']).optional(),
          rule: z.string().max(64).optional(),
        }),
        response: {
          200: z.object({
            anomalies: z.array(AnomalyRecord.extend({ ruleName: z.string().describe('规则名称') })),
          }),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['supervisor', 'admin']);
      return { anomalies: await anomalies.listAnomalies(ctx.db, actor, request.query) };
    },
  );

  app.post(
    '/api/supervision/anomalies/:id/close',
    {
      schema: {
        tags,
        summary: '关闭异常 close a hit with a note',
        params: Id,
        body: z.object({ note: z.string().trim().min(2).max(2000) }),
        response: { 200: AnomalyRecord },
      },
    },
    async (request) =>
      anomalies.closeAnomaly(
        ctx.db,
        ctx,
        requireActor(request, ['supervisor']),
        request.params.id,
        request.body.note,
      ),
  );

  app.put(
    '/api/supervision/settings/special-pause-max-days',
    {
      schema: {
        tags,
        summary: '特别程序暂停上限 special procedure limit (working days)',
        body: z.object({ days: z.number().int().min(1).max(365) }),
        response: { 200: z.object({ specialPauseMaxDays: z.number().int() }) },
      },
    },
    async (request) =>
      anomalies.setSpecialPauseLimit(
        ctx.db,
        ctx,
        requireActor(request, ['supervisor', 'admin']),
        request.body.days,
      ),
  );
}
