import { Tag } from 'antd';
import type { ItemStatus, LegalBasisLevel } from '../api/types';
import { isMessageKey, useT } from '../i18n';

export const STAGES = [1, 2, 3, 4, 5] as const;
const STAGE_COLORS: Record<number, string> = {
  1: 'blue',
  2: 'cyan',
  3: 'geekblue',
  4: 'purple',
  5: 'orange',
};

export function stageKey(stage: number) {
  const key = `stage.${stage}`;
  return isMessageKey(key) ? key : null;
}

export function StageTag({ stage }: { stage: number }) {
  const t = useT();
  const key = stageKey(stage);
  return <Tag color={STAGE_COLORS[stage] ?? 'default'}>{key ? t(key) : String(stage)}</Tag>;
}

const BASIS_COLORS: Record<LegalBasisLevel, string> = {
  law: 'green',
  regulation: 'green',
  state_council_decision: 'lime',
  department_rule: 'orange',
  normative_document: 'red',
};

export function BasisTag({ level }: { level: LegalBasisLevel }) {
  const t = useT();
  return <Tag color={BASIS_COLORS[level]}>{t(`basis.${level}`)}</Tag>;
}

const STATUS_COLORS: Record<ItemStatus, string> = {
  active: 'success',
  cancelled: 'default',
  merged: 'warning',
};

export function StatusTag({ status }: { status: ItemStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`itemStatus.${status}`)}</Tag>;
}
