import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { containingPattern } from '../../shared/like';
import { withTotal } from '../../shared/paging';
import type { DB } from '../../db/schema';
import type { ProjectAttributes } from '../templates/template.schemas';

type Db = Kysely<DB> | Transaction<DB>;

/** The GeoJSON as stored: 2-D, MultiPolygon, CGCS2000 (EPSG:4490). */
const storedSite = (geojson: string) =>
  sql<string>`ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4490)))`;

/**
 * Validity and ellipsoidal area of a site before it is stored. Geography needs SRID 4326; CGCS2000 and
 * WGS84 agree to centimetres, so the area is computed on WGS84.
 */
export async function inspectSite(db: Db, geojson: string) {
  const { rows } = await sql<{ valid: boolean; reason: string; areaM2: number }>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
           ST_Area(ST_SetSRID(g, 4326)::geography) AS area_m2
    FROM (SELECT ${storedSite(geojson)} AS g) s`.execute(db);
  return rows[0]!;
}

/** Next serial for (year, district), atomically: concurrent registrations never share a number. */
export async function nextSerial(trx: Transaction<DB>, year: number, districtCode: string): Promise<number> {
  const row = await trx
    .insertInto('projectCodeCounter')
    .values({ year, districtCode, lastSerial: 1 })
    .onConflict((oc) =>
      oc
        .columns(['year', 'districtCode'])
        .doUpdateSet({ lastSerial: sql`project_code_counter.last_serial + 1` }),
    )
    .returning('lastSerial')
    .executeTakeFirstOrThrow();
  return row.lastSerial;
}

export interface NewProject {
  code: string;
  name: string;
  enterpriseId: string;
  templateCode: string;
  templateVersion: number;
  districtCode: string;
  industryCode: string;
  approvalType: string;
  totalInvestment: number;
  attributes: ProjectAttributes;
  siteGeoJson: string;
  siteAreaM2: number;
  plannedStart: string;
  plannedCompletion: string;
  createdBy: string;
  createdAt: Date;
  plannedProjectId: string | null;
  constructionConditions: string[];
}

export async function insertProject(trx: Transaction<DB>, p: NewProject): Promise<string> {
  const { siteGeoJson, attributes, constructionConditions, ...rest } = p;
  const row = await trx
    .insertInto('project')
    .values({
      ...rest,
      attributes: JSON.stringify(attributes),
      constructionConditions: JSON.stringify(constructionConditions),
      site: storedSite(siteGeoJson),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function enterpriseName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('enterprise').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

function projectRowQuery(db: Db) {
  return db
    .selectFrom('project')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'project.id',
      'project.code',
      'project.name',
      'project.enterpriseId',
      'enterprise.name as enterpriseName',
      'project.templateCode',
      'project.templateVersion',
      'project.districtCode',
      'project.industryCode',
      'project.approvalType',
      'project.totalInvestment',
      'project.attributes',
      sql<string>`ST_AsGeoJSON(project.site)`.as('siteGeoJson'),
      'project.siteAreaM2',
      'project.plannedStart',
      'project.plannedCompletion',
      'project.createdAt',
      'project.plannedProjectId',
      'project.constructionConditions',
    ]);
}

/** Department staff see a project with a task in their department (null: not department staff). */
const inDepartmentColumn = (departmentCode: string | null) =>
  (departmentCode === null
    ? sql<boolean>`false`
    : sql<boolean>`exists (select 1 from item_task t where t.project_id = project.id and t.department_code = ${departmentCode})`
  ).as('inDepartment');

/** The outer query's project, inside its correlated JSON subqueries. */
const outerProjectId = sql<string>`project.id`;

export function findProject(db: Db, id: string) {
  return projectRowQuery(db).where('project.id', '=', id).executeTakeFirst();
}

/**
 * The project row and whether `departmentCode` (department staff's scope) has a task in it, in one
 * statement: the visibility check needs both and nothing else.
 */
export function findProjectInScope(db: Db, id: string, departmentCode: string | null) {
  return projectRowQuery(db)
    .select(inDepartmentColumn(departmentCode))
    .where('project.id', '=', id)
    .executeTakeFirst();
}

/**
 * The project view's rows in one statement (issue 10 item 8: one round trip, not five): the project,
 * the department-scope answer, and its applications and tasks as JSON arrays (timestamps revived here,
 * so callers get the same values as from listApplications / listTasks). By id, or by national code.
 */
export async function findProjectView(
  db: Db,
  by: { id: string } | { code: string },
  departmentCode: string | null,
) {
  const row = await projectRowQuery(db)
    .select([
      inDepartmentColumn(departmentCode),
      jsonArrayFrom(applicationsQuery(db).where('stageApplication.projectId', '=', outerProjectId)).as(
        'applications',
      ),
      jsonArrayFrom(tasksQuery(db).where('itemTask.projectId', '=', outerProjectId)).as('tasks'),
    ])
    .where((eb) => ('id' in by ? eb('project.id', '=', by.id) : eb('project.code', '=', by.code)))
    .executeTakeFirst();
  if (!row) return undefined;
  const { applications, tasks, inDepartment, ...project } = row;
  return {
    project,
    inDepartment,
    applications: applications.map((a) => ({
      ...a,
      submittedAt: new Date(a.submittedAt),
      completedAt: a.completedAt === null ? null : new Date(a.completedAt),
    })),
    tasks: tasks.map((t) => ({ ...t, decidedAt: t.decidedAt === null ? null : new Date(t.decidedAt) })),
  };
}

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProject>>>;

export type ProjectScope =
  | { kind: 'all' }
  | { kind: 'enterprise'; enterpriseId: string }
  | { kind: 'department'; departmentCode: string }
  | { kind: 'district'; districtCode: string };

/** Application states in which a stage is being handled (the window's or the departments'). */
const RUNNING_APPLICATION = ['submitted', 'correction_requested', 'accepted'] as const;

/** What 我的项目 may be narrowed and ordered by (the page is cut in SQL). */
export interface ProjectListFilter {
  /** Text in the project's name or code (typed % and _ are literal). */
  q?: string | undefined;
  districtCode?: string | undefined;
  templateCode?: string | undefined;
  /** Projects with an application running in this national stage. */
  stage?: number | undefined;
  /** running: some stage in hand; idle: none. */
  state?: 'running' | 'idle' | undefined;
  sort: 'createdAt' | 'name' | 'code';
  order: 'asc' | 'desc';
}

const projectSortColumn = {
  createdAt: 'project.createdAt',
  name: 'project.name',
  code: 'project.code',
} as const;

function projectListQuery(db: Db, scope: ProjectScope, f: ProjectListFilter) {
  let q = db
    .selectFrom('project')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'project.id',
      'project.code',
      'project.name',
      'project.templateCode',
      'project.templateVersion',
      'project.districtCode',
      'enterprise.name as enterpriseName',
      'project.createdAt',
    ]);
  if (scope.kind === 'enterprise') q = q.where('project.enterpriseId', '=', scope.enterpriseId);
  if (scope.kind === 'district') q = q.where('project.districtCode', '=', scope.districtCode);
  if (scope.kind === 'department') {
    q = q.where('project.id', 'in', (eb) =>
      eb
        .selectFrom('itemTask')
        .select('itemTask.projectId')
        .where('itemTask.departmentCode', '=', scope.departmentCode),
    );
  }
  const text = f.q?.trim();
  if (text) {
    const pattern = containingPattern(text);
    q = q.where((eb) => eb.or([eb('project.name', 'ilike', pattern), eb('project.code', 'ilike', pattern)]));
  }
  if (f.districtCode) q = q.where('project.districtCode', '=', f.districtCode);
  if (f.templateCode) q = q.where('project.templateCode', '=', f.templateCode);
  if (f.stage !== undefined || f.state) {
    const running = (eb: ExpressionBuilder<DB, 'project' | 'enterprise'>) => {
      let sub = eb
        .selectFrom('stageApplication')
        .select('stageApplication.id')
        .whereRef('stageApplication.projectId', '=', 'project.id')
        .where('stageApplication.status', 'in', [...RUNNING_APPLICATION]);
      if (f.stage !== undefined) sub = sub.where('stageApplication.stage', '=', f.stage);
      return eb.exists(sub);
    };
    q = q.where((eb) => (f.state === 'idle' ? eb.not(running(eb)) : running(eb)));
  }
  return q
    .orderBy(projectSortColumn[f.sort], f.order)
    .orderBy('project.createdAt', f.order)
    .orderBy('project.id', f.order);
}

/** One page of the projects in scope and the number of all that match (one statement). */
export async function listProjects(
  db: Db,
  scope: ProjectScope,
  f: ProjectListFilter,
  cut: { limit: number; offset: number },
) {
  const rows = await projectListQuery(db, scope, f)
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .limit(cut.limit)
    .offset(cut.offset)
    .execute();
  return withTotal(rows, cut.offset, async () => {
    const r = await db
      .selectFrom(projectListQuery(db, scope, f).clearOrderBy().as('t'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
}

function applicationsQuery(db: Db) {
  return db
    .selectFrom('stageApplication')
    .select([
      'stageApplication.id',
      'stageApplication.projectId',
      'stageApplication.stage',
      'stageApplication.status',
      'stageApplication.submittedAt',
      'stageApplication.completedAt',
    ])
    .orderBy('stageApplication.submittedAt');
}

export function listApplications(db: Db, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return applicationsQuery(db)
    .where('stageApplication.projectId', 'in', [...projectIds])
    .execute();
}

function tasksQuery(db: Db) {
  return db
    .selectFrom('itemTask')
    .leftJoin('itemVersion', (join) =>
      join
        .onRef('itemVersion.code', '=', 'itemTask.itemCode')
        .onRef('itemVersion.version', '=', 'itemTask.itemVersion'),
    )
    .select([
      'itemTask.id',
      'itemTask.applicationId',
      'itemTask.itemCode',
      'itemVersion.name as itemName',
      'itemTask.departmentCode',
      'itemTask.status',
      'itemTask.deadline',
      'itemTask.stage',
      'itemTask.promisedDays',
      'itemTask.startedOn',
      'itemTask.decidedAt',
      'itemTask.extendedDays',
    ])
    .orderBy('itemTask.itemCode');
}

export function listTasks(db: Db, projectId: string) {
  return tasksQuery(db).where('itemTask.projectId', '=', projectId).execute();
}

export async function projectMaterialsOnFile(db: Db, projectId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('projectMaterial')
    .select(['materialCode', 'fileId'])
    .where('projectId', '=', projectId)
    .execute();
  return new Map(rows.map((r) => [r.materialCode, r.fileId]));
}
