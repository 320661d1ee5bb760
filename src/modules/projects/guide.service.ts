/**
 * The per-stage guide (task 58): one guide, one form, one material set for a stage of the project's own
 * template version, asking nothing twice: materials on file (uploaded, or issued by this system as a
 * certificate or another 批准文件) are shown as such, results of the stage's own items are not asked, and
 * form fields the project already answers are prefilled. `stageMaterialNeeds` is the one computation of a
 * stage's material needs, used by the guide and by submission and acceptance alike.
 */
import { commitmentText } from '../approvals/approval.rules';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { notFound } from '../../shared/errors';
import { regionalAssessmentsForProject } from '../blueprint/site-check.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Item } from '../catalog/catalog.schemas';
import { certificatesInForce } from '../certificates/certificate.service';
import type { Actor } from '../identity/identity.rules';
import { projectMaterialsOnFile } from '../materials/material.service';
import * as templateService from '../templates/template.service';
import type { ProjectAttributes, TemplateDefinition, TemplateStage } from '../templates/template.schemas';
import {
  coveredByRegionalAssessment,
  formPrefill,
  materialCodesByName,
  materialsOnFile,
  mergeForm,
  registryAnswers,
  stageMaterialSet,
  type MaterialOnFile,
  type MergedMaterial,
  type ProducedMaterial,
} from './guide.rules';
import * as guideRepo from './guide.repository';
import { itemsByCode, projectStage, visibleProject } from './project.service';
import { routeTasks } from '../jurisdiction/jurisdiction.service';

type Db = Kysely<DB> | Transaction<DB>;

/** A stage by national number; a merged stage (带方案出让 2+3) answers to either of its numbers. */
function stageIndex(def: TemplateDefinition, n: number): number {
  return def.stages.findIndex((s) => s.nationalStage === n || s.mergedStages.includes(n));
}

async function projectDefinition(db: Db, project: { templateCode: string; templateVersion: number }) {
  const def = await templateService.findDefinitionVersion(db, project.templateCode, project.templateVersion);
  if (!def)
    throw notFound('审批流程版本 template version', `${project.templateCode} v${project.templateVersion}`);
  return def;
}

function stageOf(def: TemplateDefinition, n: number): TemplateStage {
  const index = stageIndex(def, n);
  if (index < 0) throw notFound(`审批流程 ${def.code} 的阶段 stage`, n);
  return def.stages[index]!;
}

export interface MaterialNeedsProject {
  id: string;
  templateCode: string;
  templateVersion: number;
  attributes: ProjectAttributes;
}

export interface StageMaterialNeeds {
  /** The stage's one material set (de-duplicated over its applicable items), without `producedInStage`. */
  needs: MergedMaterial[];
  /** Of `needs`, what the project already has on file and where it comes from (never asked twice). */
  onFile: Map<string, MaterialOnFile>;
  /** Materials some item of the stage asks for that another item of the same stage produces: not uploads. */
  producedInStage: ProducedMaterial[];
}

/**
 * The one computation of what a stage needs from the applicant (task 58), for the guide and for
 * submission and acceptance: the merged materials of the stage's applicable active items, minus what the
 * stage itself produces, with what is on file: a certificate in force that stands for the material, the
 * result of an approved item, or an earlier upload. A required need not in `onFile` must be uploaded now
 * (or deferred under 容缺 when `deficiencyAllowed`). `now` decides which certificates have expired.
 * Inside a transaction pass the transaction handle (on PGlite the outer one would wait for it).
 */
export async function stageMaterialNeeds(
  db: Db,
  project: MaterialNeedsProject,
  stage: number,
  now: Date,
  /** The project's template version and the whole current catalog, when the caller has read them. */
  loaded?: { definition: TemplateDefinition; catalog: ReadonlyMap<string, Item> },
): Promise<StageMaterialNeeds> {
  const def = loaded?.definition ?? (await projectDefinition(db, project));
  const catalog = loaded?.catalog ?? (await itemsByCode(db));
  const { chosen } = projectStage(stageOf(def, stage), project.attributes, catalog);
  return needsFor(
    db,
    project.id,
    chosen.map((x) => x.item),
    catalog,
    now,
  );
}

async function needsFor(
  db: Db,
  projectId: string,
  stageItems: readonly Item[],
  catalog: ReadonlyMap<string, Item>,
  now: Date,
): Promise<StageMaterialNeeds> {
  const byName = materialCodesByName(catalog.values());
  const [uploads, certificates, results] = await Promise.all([
    projectMaterialsOnFile(db, projectId),
    certificatesInForce(db, projectId, beijingDate(now)),
    guideRepo.approvedTasks(db, projectId),
  ]);
  const { needs, producedInStage } = stageMaterialSet(stageItems, byName);
  const all = materialsOnFile({ uploads, certificates, results, catalog, byName });
  const onFile = new Map([...all].filter(([code]) => needs.some((m) => m.code === code)));
  return { needs, onFile, producedInStage };
}

function materialView(m: MergedMaterial, onFile: MaterialOnFile | undefined) {
  return {
    code: m.code,
    name: m.name,
    required: m.required,
    deficiencyAllowed: m.deficiencyAllowed,
    onFile: onFile !== undefined,
    fileId: onFile?.source === 'upload' ? onFile.fileId : null,
    items: m.items,
    source: onFile?.source ?? null,
    onFileSince: onFile?.since ?? null,
    certificate:
      onFile?.source === 'certificate'
        ? {
            id: onFile.certificateId,
            identifier: onFile.identifier,
            title: onFile.title,
            simulated: onFile.simulated,
          }
        : null,
    result:
      onFile?.source === 'result'
        ? {
            taskId: onFile.taskId,
            itemCode: onFile.itemCode,
            documentNumber: onFile.documentNumber,
            simulated: onFile.simulated,
          }
        : null,
  };
}

/**
 * 一份办事指南、一张申请表单、一套申报材料 (task 58) for stage n of the project's own template version:
 * the items whose conditions hold for the project (current catalog versions), the merged form prefilled
 * with what the project already knows, the material set with what is on file, and when the stage would
 * finish if started today.
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
  const def = await projectDefinition(db, project);
  const stageDef = stageOf(def, n);
  const [catalog, regional, creditCode, earlier] = await Promise.all([
    itemsByCode(db),
    regionalAssessmentsForProject(db, id),
    guideRepo.enterpriseCreditCode(db, project.enterpriseId),
    guideRepo.earlierForms(db, id),
  ]);
  const { chosen, timeLimitWorkingDays } = projectStage(stageDef, project.attributes, catalog);
  const catalogItems = chosen.map((x) => x.item);
  const { needs, onFile, producedInStage } = await needsFor(db, id, catalogItems, catalog, now);
  const { form, prefill, known } = formPrefill(
    mergeForm(catalogItems),
    registryAnswers({
      name: project.name,
      code: project.code,
      enterpriseName: project.enterpriseName,
      totalInvestment: project.totalInvestment,
      siteAreaM2: project.siteAreaM2,
      plannedStart: project.plannedStart,
      plannedCompletion: project.plannedCompletion,
      attributes: project.attributes as unknown as Record<string, unknown>,
    }),
    earlier,
  );
  const { deadline, calendarComplete } = (await calendar.get()).addWorkingDays(
    beijingDate(now),
    timeLimitWorkingDays,
  );
  // 事权 (issue 15): the department that will handle each item for this project's district and
  // investment — the same routing the window's acceptance applies.
  const routed = await routeTasks(db, project, catalogItems);
  return {
    stage: {
      nationalStage: stageDef.nationalStage,
      name: stageDef.name,
      leadDepartmentCode: stageDef.leadDepartmentCode,
      timeLimitWorkingDays,
    },
    project: {
      code: project.code,
      name: project.name,
      enterpriseName: project.enterpriseName,
      creditCode,
      districtCode: project.districtCode,
      totalInvestment: project.totalInvestment,
      siteAreaM2: Math.round(project.siteAreaM2 * 100) / 100,
      plannedStart: project.plannedStart,
      plannedCompletion: project.plannedCompletion,
    },
    items: chosen.map(({ ti, item }) => ({
      code: item.code,
      name: item.name,
      departmentCode: routed.get(item.code)?.departmentCode ?? item.departmentCode,
      cityDepartmentCode: item.departmentCode,
      level: routed.get(item.code)?.level ?? 'city',
      cityStandsIn: routed.get(item.code)?.cityStandsIn ?? false,
      promisedTimeLimitDays: item.promisedTimeLimitDays,
      // Task 37/44: inside a regional-assessment unit the covered item goes under 告知承诺.
      regionalAssessment: coveredByRegionalAssessment(item, regional.covered),
      commitmentAllowed: item.commitmentAllowed || coveredByRegionalAssessment(item, regional.covered),
      commitmentText:
        item.commitmentAllowed || coveredByRegionalAssessment(item, regional.covered)
          ? commitmentText(item.name, project.enterpriseName)
          : null,
      milestone: ti.milestone,
      simulatedUntil: ti.simulatedUntil ?? null,
      resultDocumentType: item.resultDocumentType,
    })),
    form: form as unknown as Record<string, unknown>,
    prefill,
    known,
    materials: needs.map((m) => materialView(m, onFile.get(m.code))),
    producedInStage,
    expectedCompletion: deadline,
    calendarComplete,
    // 策划生成 (task 43): the construction conditions carried from the planned project.
    constructionConditions: project.constructionConditions,
  };
}
