/**
 * What registration asks (issue 8): the project attributes a template's conditions read, each with a
 * Chinese label and a default, and the kind of project the template is for. Pure.
 */
import { processTemplates } from './template.data';
import {
  type AllowedAttributes,
  type Condition,
  defaultProjectAttributes,
  InvestmentSourceSchema,
  LandSupplyMethodSchema,
  type ProjectAttributeKey,
  type ProjectAttributes,
  type TemplateDefinition,
} from './template.schemas';

export interface QuestionOption {
  value: string;
  label: string;
}

export interface TemplateQuestion {
  key: ProjectAttributeKey;
  label: string;
  help: string | null;
  type: 'boolean' | 'number' | 'enum';
  default: string | number | boolean;
  /** For enum questions: the values this template allows. */
  options: QuestionOption[] | null;
  /** The template allows one value only: shown, not asked. */
  fixed: boolean;
}

export const investmentSourceNames: Record<ProjectAttributes['investmentSource'], string> = {
  government: '政府投资',
  social: '社会投资',
};

export const landSupplyMethodNames: Record<ProjectAttributes['landSupplyMethod'], string> = {
  allocation: '划拨',
  transfer: '出让',
  transfer_with_design: '带方案出让',
  existing: '已有用地',
};

/** Labels as an applicant reads them; `help` says where the answer comes from when it is not obvious. */
const questionText: Record<ProjectAttributeKey, { label: string; help?: string }> = {
  investmentSource: { label: '投资类型' },
  landSupplyMethod: { label: '供地方式' },
  newConstructionLand: { label: '是否涉及新增建设用地', help: '任务27: 不涉及新增建设用地的不再做用地预审' },
  landAcquisition: { label: '是否涉及征收土地' },
  totalInvestment: { label: '总投资（万元）' },
  buildingArea: {
    label: '总建筑面积（平方米）',
    help: '投资额30万元以下或建筑面积300平方米以下的工程可不申请施工许可证',
  },
  listedInInvestmentPlan: {
    label: '是否已列入政府投资计划或人大审定的年度计划',
    help: '任务24: 列入计划的不再审批项目建议书和可行性研究报告',
  },
  simpleTechnicalScheme: {
    label: '是否建设内容单一、技术方案简单',
    help: '任务25: 可行性研究报告与初步设计合并审批',
  },
  requiresVerification: {
    label: '是否列入《政府核准的投资项目目录》',
    help: '列入的办理核准，未列入的办理备案',
  },
  hasCivilAirDefence: { label: '是否应建防空地下室' },
  isSmallProject: {
    label: '是否企业投资备案类小型项目',
    help: '任务44: 小型项目不再做各类评估',
  },
  designFirmGradeA: {
    label: '施工图是否由甲级资质设计单位设计',
    help: '任务30: 甲级设计单位可承诺免审',
  },
  specialConstruction: {
    label: '是否特殊建设工程',
    help: '特殊建设工程办理消防设计审查和消防验收，其他工程办理消防验收备案',
  },
  exceedsSeismicLimits: { label: '是否超限高层建筑工程' },
  flammableExplosive: { label: '是否易燃易爆建设工程或场所' },
  withinRegionalAssessment: { label: '是否位于已完成区域评估的区域内' },
  involvesCityRoads: { label: '是否占用、挖掘城市道路' },
  involvesGreenSpace: { label: '是否涉及城市绿地、树木' },
  involvesRiverCourse: { label: '是否涉及河道管理范围或洪泛区、蓄滞洪区' },
};

export const attributeLabel = (key: ProjectAttributeKey) => questionText[key].label;

/**
 * Answered elsewhere, so never asked in `attributes`: the total investment is body.totalInvestment, and
 * whether the site lies in a regional-assessment unit comes from the site check (task 44).
 */
export const NOT_ASKED: ReadonlySet<ProjectAttributeKey> = new Set([
  'totalInvestment',
  'withinRegionalAssessment',
]);

const everySource = InvestmentSourceSchema.options;
const everyLandMethod = LandSupplyMethodSchema.options;

/**
 * The kind of project a template is for. Versions stored before `allowedAttributes` existed take it
 * from the shipped template of the same code; an administrator's template without it allows anything.
 */
export function templateKind(def: TemplateDefinition): AllowedAttributes {
  return (
    def.allowedAttributes ??
    processTemplates.find((t) => t.code === def.code)?.allowedAttributes ?? {
      investmentSource: [...everySource],
      landSupplyMethod: [...everyLandMethod],
    }
  );
}

function conditionAttributes(condition: Condition | null, into: Set<ProjectAttributeKey>) {
  if (condition === null) return;
  if ('all' in condition) condition.all.forEach((c) => conditionAttributes(c, into));
  else if ('any' in condition) condition.any.forEach((c) => conditionAttributes(c, into));
  else if ('not' in condition) conditionAttributes(condition.not, into);
  else into.add(condition.attr);
}

/** The attributes any condition of the template reads. */
export function attributesRead(def: TemplateDefinition): Set<ProjectAttributeKey> {
  const read = new Set<ProjectAttributeKey>();
  for (const stage of def.stages) for (const ti of stage.items) conditionAttributes(ti.condition, read);
  return read;
}

/**
 * What registration asks for this template: the investment source and land supply (always: they fix the
 * kind of project), then every other attribute a condition reads, in the schema's order. Attributes
 * nothing reads are not asked.
 */
export function templateQuestions(def: TemplateDefinition): TemplateQuestion[] {
  const kind = templateKind(def);
  const read = attributesRead(def);
  read.add('investmentSource');
  read.add('landSupplyMethod');
  const keys = (Object.keys(defaultProjectAttributes) as ProjectAttributeKey[]).filter(
    (k) => read.has(k) && !NOT_ASKED.has(k),
  );
  return keys.map((key) => {
    const text = questionText[key];
    const base = { key, label: text.label, help: text.help ?? null };
    if (key === 'investmentSource' || key === 'landSupplyMethod') {
      const names: Record<string, string> =
        key === 'investmentSource' ? investmentSourceNames : landSupplyMethodNames;
      const values: string[] = kind[key];
      return {
        ...base,
        type: 'enum' as const,
        default: values[0]!,
        options: values.map((value) => ({ value, label: names[value] ?? value })),
        fixed: values.length === 1,
      };
    }
    const fallback = defaultProjectAttributes[key];
    return {
      ...base,
      type: typeof fallback === 'number' ? ('number' as const) : ('boolean' as const),
      default: fallback,
      options: null,
      fixed: false,
    };
  });
}
