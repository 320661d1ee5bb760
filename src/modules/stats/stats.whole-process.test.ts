/**
 * The whole-process figure (issue 8 item 7; task 38: 100 working days) counts only projects whose main
 * line (stages 1–4 as their template defines them) is complete, from the first acceptance to the last
 * main stage's completion; projects still running are shown apart with their elapsed working days.
 * Crafted rows (as the rollup test does): a whole project through the API would test approvals, not this.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import type { TemplateDefinition } from '../templates/template.schemas';

describeEachSystem('whole-process figure', (t) => {
  it('counts complete main lines only and shows running projects apart', async () => {
    const { system } = t;
    const db = system.db;
    system.clock.set(new Date('2026-09-01T09:00:00+08:00'));
    const templates = await db
      .selectFrom('processTemplateVersion')
      .select(['code', 'version', 'definition'])
      .where('effectiveTo', 'is', null)
      .execute();
    // A template with four separate main stages (not 带方案出让's merged 2+3).
    const tpl = templates.find((x) => {
      const main = (x.definition as TemplateDefinition).stages.filter((s) => s.nationalStage !== 5);
      return main.length === 4 && main.every((s) => s.mergedStages.length <= 1);
    })!;
    expect(tpl).toBeDefined();
    await sql`INSERT INTO enterprise (name, credit_code) VALUES ('全流程企业', '91410100MA9GKWHOLE')`.execute(
      db,
    );
    await sql`INSERT INTO app_user (username, display_name, role, enterprise_id, password_hash)
      SELECT 'whole-process', '全流程', 'applicant', id, 'x' FROM enterprise WHERE credit_code = '91410100MA9GKWHOLE'`.execute(
      db,
    );
    // W-1: stages 1–4 done (stage 1 done twice: refused once, re-applied); W-2: 1–3 and 5 done, 4 running;
    // W-3: only stage 1 done.
    const plan: Record<string, [number, string][]> = {
      'W-1': [
        [1, '2026-03-20'],
        [1, '2026-03-27'],
        [2, '2026-04-30'],
        [3, '2026-05-29'],
        [4, '2026-06-30'],
      ],
      'W-2': [
        [1, '2026-03-20'],
        [2, '2026-04-30'],
        [3, '2026-05-29'],
        [5, '2026-05-29'],
      ],
      'W-3': [[1, '2026-03-20']],
    };
    for (const [code, stages] of Object.entries(plan)) {
      await sql`INSERT INTO project (code, name, enterprise_id, template_code, template_version, district_code, industry_code,
          approval_type, total_investment, attributes, site, site_area_m2, planned_start, planned_completion, created_by, created_at)
        SELECT ${code}, '全流程项目' || ${code}, u.enterprise_id, ${tpl.code}, ${tpl.version}, '410102', '47', '01', 1000, '{}',
          ST_Multi(ST_MakeEnvelope(113.6, 34.7, 113.601, 34.701, 4490)), 10000, '2030-01-01', '2031-01-01', u.id, '2026-03-01'
        FROM app_user u WHERE u.username = 'whole-process'`.execute(db);
      for (const [stage, completedOn] of stages) {
        await sql`INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at,
            accepted_at, accepted_on, completed_at)
          SELECT p.id, ${stage}, 'completed', '{}', '{}', p.created_by, '2026-03-02', '2026-03-02', '2026-03-02',
            (${completedOn}::date + time '17:00') AT TIME ZONE 'Asia/Shanghai'
          FROM project p WHERE p.code = ${code}`.execute(db);
      }
      if (code === 'W-2') {
        await sql`INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at,
            accepted_at, accepted_on)
          SELECT p.id, 4, 'accepted', '{}', '{}', p.created_by, '2026-06-01', '2026-06-01', '2026-06-01'
          FROM project p WHERE p.code = ${code}`.execute(db);
      }
    }
    // One task per application; the first starts the whole process on 2026-03-02.
    await sql`INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
        promised_days, limit_working_days, started_on, deadline, decided_at, created_at)
      SELECT a.id, a.project_id, i.code, i.version, i.department_code, a.stage,
        CASE WHEN a.status = 'completed' THEN 'approved' ELSE 'in_review' END, '{final}', 20, 20,
        a.accepted_on, a.accepted_on + 28, a.completed_at, a.accepted_at
      FROM stage_application a JOIN project p ON p.id = a.project_id AND p.code LIKE 'W-%'
      CROSS JOIN LATERAL (SELECT code, version, department_code FROM item_version WHERE effective_to IS NULL
        ORDER BY code LIMIT 1) i`.execute(db);

    const supervisor = await system.login('supervisor');
    const res = await system.app.inject({
      method: 'GET',
      url: '/api/stats/overview',
      headers: { cookie: supervisor.cookie },
    });
    expect(res.statusCode).toBe(200);
    const w = res.json().wholeProcess;
    const days = async (start: string, end: string) => {
      const cal = await system.ctx.calendar.get();
      return cal.workingDaysBetween(start, end);
    };
    expect(w.projects.map((p: { projectCode: string }) => p.projectCode)).toEqual(['W-1']);
    expect(w.projects[0]).toMatchObject({
      finished: true,
      startedOn: '2026-03-02',
      completedOn: '2026-06-30',
      mainStages: 4,
      completedStages: 4,
      workingDays: await days('2026-03-02', '2026-06-30'),
    });
    expect(w.within + w.over).toBe(1);
    expect(w.over).toBe(w.projects[0].workingDays > 100 ? 1 : 0);
    expect(w.avgWorkingDays).toBe(w.projects[0].workingDays);
    expect(w.running.count).toBe(2);
    const running = new Map(
      w.running.projects.map((p: { projectCode: string }) => [p.projectCode, p] as const),
    );
    const elapsed = await days('2026-03-02', '2026-09-01');
    expect(running.get('W-2')).toMatchObject({
      finished: false,
      completedOn: null,
      completedStages: 3,
      workingDays: elapsed,
    });
    expect(running.get('W-3')).toMatchObject({ completedStages: 1, workingDays: elapsed });
    expect(w.running.overTarget).toBe(elapsed > 100 ? 2 : 0);
  });
});
