/**
 * Test factory: the minimum rows a certificate hangs on (project with a PostGIS site, accepted stage
 * application, approved item task), written directly so these tests depend on no other module's service.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema';
import { issueCertificate, type IssueCertificateInput } from './certificate.service';

export interface CertificateFixture {
  projectId: string;
  projectCode: string;
  taskId: string;
  enterpriseId: string;
  enterpriseName: string;
  creditCode: string;
  departmentCode: string;
  itemCode: string;
}

const SITE = {
  type: 'Polygon',
  coordinates: [
    [
      [113.65, 34.75],
      [113.652, 34.75],
      [113.652, 34.752],
      [113.65, 34.752],
      [113.65, 34.75],
    ],
  ],
};

async function one<T>(db: Kysely<DB>, query: RawBuilder<T>): Promise<T> {
  const { rows } = await query.execute(db);
  if (!rows[0]) throw new Error('fixture: expected a row');
  return rows[0];
}

/** A project of the demo enterprise `enterpriseUser` (default: the first applicant) with one approved task. */
export async function createTaskFixture(
  db: Kysely<DB>,
  enterpriseUser = 'applicant',
): Promise<CertificateFixture> {
  const user = await one(
    db,
    sql<{ id: string; enterpriseId: string; name: string; creditCode: string }>`
      SELECT u.id, e.id AS enterprise_id, e.name, e.credit_code FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id
      WHERE u.username = ${enterpriseUser}`,
  );
  const template = await one(
    db,
    sql<{
      code: string;
      version: number;
    }>`SELECT code, version FROM process_template_version ORDER BY code LIMIT 1`,
  );
  // Prefer a real certificate-issuing item and its department; any department will do otherwise.
  const item = await sql<{ code: string; departmentCode: string }>`
    SELECT code, department_code FROM item_version WHERE certificate_type IS NOT NULL AND effective_to IS NULL ORDER BY code LIMIT 1`.execute(
    db,
  );
  const departmentCode =
    item.rows[0]?.departmentCode ??
    (await one(db, sql<{ code: string }>`SELECT code FROM department ORDER BY code LIMIT 1`)).code;
  const itemCode = item.rows[0]?.code ?? 'TEST-ITEM';
  const projectCode = `2026-410105-47-01-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  const project = await one(
    db,
    sql<{ id: string }>`
      INSERT INTO project (code, name, enterprise_id, template_code, template_version, district_code, industry_code, approval_type,
        total_investment, attributes, site, site_area_m2, planned_start, planned_completion, created_by, created_at)
      VALUES (${projectCode}, '郑东新区示范办公楼项目', ${user.enterpriseId}, ${template.code}, ${template.version}, '410105', '47', '01',
        12000, '{}'::jsonb, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(SITE)}), 4490)), 40873.5,
        '2026-04-01', '2028-04-01', ${user.id}, now())
      RETURNING id`,
  );
  const application = await one(
    db,
    sql<{ id: string }>`
      INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at, accepted_at, accepted_on)
      VALUES (${project.id}, 2, 'accepted', '{}'::jsonb, ARRAY[${itemCode}]::text[], ${user.id}, now(), now(), '2026-03-02')
      RETURNING id`,
  );
  const task = await one(
    db,
    sql<{ id: string }>`
      INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
        promised_days, started_on, deadline, created_at, decided_at, outcome)
      VALUES (${application.id}, ${project.id}, ${itemCode}, 1, ${departmentCode}, 2, 'approved', ARRAY['initial']::text[],
        5, '2026-03-03', '2026-03-09', now(), now(), 'approve')
      RETURNING id`,
  );
  return {
    projectId: project.id,
    projectCode,
    taskId: task.id,
    enterpriseId: user.enterpriseId,
    enterpriseName: user.name,
    creditCode: user.creditCode,
    departmentCode,
    itemCode,
  };
}

/** Issues a 建设工程规划许可证 for the fixture's task in its own transaction. */
export function issueFor(
  db: Kysely<DB>,
  f: CertificateFixture,
  now: Date,
  overrides: Partial<IssueCertificateInput> = {},
) {
  return db.transaction().execute((trx) =>
    issueCertificate(trx, {
      taskId: f.taskId,
      projectId: f.projectId,
      itemCode: f.itemCode,
      certificateType: 'construction_planning_permit',
      title: '建设工程规划许可证',
      holderName: f.enterpriseName,
      holderCode: f.creditCode,
      issuerDepartmentCode: f.departmentCode,
      issuerDepartmentName: '郑州市自然资源和规划局',
      document: {
        number: '建字第410100202600001号',
        title: '建设工程规划许可证',
        date: '2026-03-02',
        validUntil: '9999-01-01',
      },
      content: {
        location: '郑州市金水区金水东路与如意西路交叉口东北角',
        constructionScale: '地上 24 层，建筑面积 86000 平方米',
      },
      simulated: false,
      now,
      ...overrides,
    }),
  );
}
