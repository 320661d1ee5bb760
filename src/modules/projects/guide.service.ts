/**
 * The per-stage guide (task 58): one guide, one form, one material set for a stage of the project's own
 * template version. Moved out of project.service.ts so the guide's rules (never ask twice) live apart
 * from registration.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { notFound } from '../../shared/errors';
import { regionalAssessmentsForProject } from '../blueprint/site-check.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Actor } from '../identity/identity.rules';
import * as templateRepo from '../templates/template.repository';
import type { TemplateDefinition } from '../templates/template.schemas';
import { coveredByRegionalAssessment, mergeForm, mergeMaterials } from './guide.rules';
import * as repo from './project.repository';
import { itemsByCode, projectStage, visibleProject } from './project.service';

/** A stage by national number; a merged stage (带方案出让 2+3) answers to either of its numbers. */
function stageIndex(def: TemplateDefinition, n: number): number {
  return def.stages.findIndex((s) => s.nationalStage === n || s.mergedStages.includes(n));
}

/**
 * 一份办事指南、一张申请表单、一套申报材料 (task 58) for stage n of the project's own template version:
 * the items whose conditions hold for the project (current catalog versions), the merged form, the
 * de-duplicated materials marked when already on file, and when the stage would finish if started today.
 */
export async function stageGuide(
  db: Kysely<DB>,
  calendar: CalendarProvider,
  actor: Actor,
  now: Date,
  id: string,
  n: number,
) {
  const project = await visibleProject(db, actor, id);
  const def = await templateRepo.findDefinitionVersion(db, project.templateCode, project.templateVersion);
  if (!def)
    throw notFound('审批流程版本 template version', `${project.templateCode} v${project.templateVersion}`);
  const index = stageIndex(def, n);
  if (index < 0) throw notFound(`审批流程 ${def.code} 的阶段 stage`, n);
  const stageDef = def.stages[index]!;
  const [catalog, onFile, regional] = await Promise.all([
    itemsByCode(db),
    repo.projectMaterialsOnFile(db, id),
    regionalAssessmentsForProject(db, id),
  ]);
  const { chosen, timeLimitWorkingDays } = projectStage(stageDef, project.attributes, catalog);
  const catalogItems = chosen.map((x) => x.item);
  const { deadline, calendarComplete } = (await calendar.get()).addWorkingDays(
    beijingDate(now),
    timeLimitWorkingDays,
  );
  return {
    stage: {
      nationalStage: stageDef.nationalStage,
      name: stageDef.name,
      leadDepartmentCode: stageDef.leadDepartmentCode,
      timeLimitWorkingDays,
    },
    items: chosen.map(({ ti, item }) => ({
      code: item.code,
      name: item.name,
      departmentCode: item.departmentCode,
      promisedTimeLimitDays: item.promisedTimeLimitDays,
      // Task 37/44: inside a regional-assessment unit the covered item goes under 告知承诺.
      regionalAssessment: coveredByRegionalAssessment(item, regional.covered),
      commitmentAllowed: item.commitmentAllowed || coveredByRegionalAssessment(item, regional.covered),
      milestone: ti.milestone,
      simulatedUntil: ti.simulatedUntil ?? null,
      resultDocumentType: item.resultDocumentType,
    })),
    form: mergeForm(catalogItems) as unknown as Record<string, unknown>,
    materials: mergeMaterials(catalogItems, onFile),
    expectedCompletion: deadline,
    calendarComplete,
  };
}
