import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
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

export function findProject(db: Db, id: string) {
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
    ])
    .where('project.id', '=', id)
    .executeTakeFirst();
}

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProject>>>;

/** The id of the project with this national project code (the public portal looks projects up by code). */
export async function findProjectIdByCode(db: Db, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('project').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id;
}

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

export async function projectHasTaskInDepartment(
  db: Db,
  projectId: string,
  departmentCode: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('itemTask')
    .select('id')
    .where('projectId', '=', projectId)
    .where('departmentCode', '=', departmentCode)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export function listApplications(db: Db, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stageApplication')
    .select(['id', 'projectId', 'stage', 'status', 'submittedAt', 'completedAt'])
    .where('projectId', 'in', [...projectIds])
    .orderBy('submittedAt')
    .execute();
}

export function listTasks(db: Db, projectId: string) {
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
    .where('itemTask.projectId', '=', projectId)
    .orderBy('itemTask.itemCode')
    .execute();
}

export async function projectMaterialsOnFile(db: Db, projectId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('projectMaterial')
    .select(['materialCode', 'fileId'])
    .where('projectId', '=', projectId)
    .execute();
  return new Map(rows.map((r) => [r.materialCode, r.fileId]));
}
