/**
 * Administration routes (issue 15): users, departments, enterprises; and enterprise self-registration.
 * Every change is audited by its service.
 */
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import {
  AdminDepartmentResponse,
  AdminDepartmentsResponse,
  AdminIdParams,
  CreateDepartmentRequest,
  CreateUserRequest,
  DepartmentParams,
  DisableUserRequest,
  EnterpriseListQuery,
  EnterpriseListResponse,
  EnterpriseRegistrationRequest,
  EnterpriseRegistrationResponse,
  EnterpriseResponse,
  ResetPasswordRequest,
  ReviewEnterpriseRequest,
  UpdateDepartmentRequest,
  UpdateUserRequest,
  UserListQuery,
  UserListResponse,
  UserResponse,
} from './admin.schemas';
import * as admin from './admin.service';

const tags = ['admin'];

export function adminRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/admin/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '用户列表 users',
        querystring: UserListQuery,
        response: { 200: UserListResponse },
      },
    },
    async (request) => {
      requireActor(request, ['admin']);
      return { users: await admin.listUsers(ctx.db, ctx.clock.now(), { ...request.query, limit: 1000 }) };
    },
  );

  app.post(
    '/api/admin/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '新建用户 create a user',
        body: CreateUserRequest,
        response: { 201: UserResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['admin']);
      const user = await admin.createUser(ctx.db, ctx.config, actor, ctx.clock.now(), request.body);
      return reply.status(201).send({ user });
    },
  );

  app.put(
    '/api/admin/users/:id',
    {
      config: { roles: ['admin'], endsSessions: true },
      schema: {
        tags,
        summary: '修改用户的角色、部门、区县、第二因素要求 edit a user',
        params: AdminIdParams,
        body: UpdateUserRequest,
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      return {
        user: await admin.updateUser(ctx.db, actor, ctx.clock.now(), request.params.id, request.body),
      };
    },
  );

  app.post(
    '/api/admin/users/:id/disabled',
    {
      config: { roles: ['admin'], endsSessions: true },
      schema: {
        tags,
        summary: '停用或启用用户 disable / enable a user',
        params: AdminIdParams,
        body: DisableUserRequest,
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      return {
        user: await admin.setUserDisabled(ctx.db, actor, ctx.clock.now(), request.params.id, request.body),
      };
    },
  );

  app.post(
    '/api/admin/users/:id/password',
    {
      config: { roles: ['admin'], endsSessions: true },
      schema: {
        tags,
        summary: '重置密码（临时密码，下次登录须修改）reset a password',
        params: AdminIdParams,
        body: ResetPasswordRequest,
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      const user = await admin.resetPassword(
        ctx.db,
        ctx.config,
        actor,
        ctx.clock.now(),
        request.params.id,
        request.body.password,
      );
      return { user };
    },
  );

  app.get(
    '/api/admin/departments',
    {
      config: { roles: ['admin'] },
      schema: { tags, summary: '市级和区县部门 departments', response: { 200: AdminDepartmentsResponse } },
    },
    async (request) => {
      requireActor(request, ['admin']);
      return { departments: await admin.listDepartments(ctx.db) };
    },
  );

  app.post(
    '/api/admin/departments',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '新增部门（市级，或区县的某条线）create a department',
        body: CreateDepartmentRequest,
        response: { 201: AdminDepartmentResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['admin']);
      const department = await admin.createDepartment(ctx.db, actor, ctx.clock.now(), request.body);
      return reply.status(201).send({ department });
    },
  );

  app.put(
    '/api/admin/departments/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '修改或停用部门 edit / deactivate a department',
        params: DepartmentParams,
        body: UpdateDepartmentRequest,
        response: { 200: AdminDepartmentResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      const department = await admin.updateDepartment(
        ctx.db,
        actor,
        ctx.clock.now(),
        request.params.code,
        request.body,
      );
      return { department };
    },
  );

  app.get(
    '/api/admin/enterprises',
    {
      config: { roles: ['admin', 'window'] },
      schema: {
        tags,
        summary: '企业（含待确认的自助注册）enterprises',
        querystring: EnterpriseListQuery,
        response: { 200: EnterpriseListResponse },
      },
    },
    async (request) => {
      requireActor(request, ['admin', 'window']);
      return { enterprises: await admin.listEnterprises(ctx.db, request.query) };
    },
  );

  app.post(
    '/api/admin/enterprises/:id/review',
    {
      config: { roles: ['admin', 'window'], endsSessions: true },
      schema: {
        tags,
        summary: '确认或退回企业注册 confirm / reject an enterprise',
        params: AdminIdParams,
        body: ReviewEnterpriseRequest,
        response: { 200: EnterpriseResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin', 'window']);
      const enterprise = await admin.reviewEnterprise(
        ctx.db,
        actor,
        ctx.clock.now(),
        request.params.id,
        request.body,
      );
      return { enterprise };
    },
  );

  app.post(
    '/api/enterprise-registrations',
    {
      config: { rateLimit: { max: ctx.config.registrationRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['identity'],
        summary: '企业自助注册（待窗口或管理员确认）an enterprise registers itself',
        body: EnterpriseRegistrationRequest,
        response: { 201: EnterpriseRegistrationResponse },
      },
    },
    async (request, reply) => {
      const r = await admin.registerEnterprise(ctx.db, ctx.config, ctx.clock.now(), request.body);
      return reply.status(201).send({
        ...r,
        message:
          '注册已提交：窗口或管理员核对营业执照后确认，确认后即可登录 (submitted; log in once confirmed)',
      });
    },
  );
}
