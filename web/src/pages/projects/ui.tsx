/** Small shared pieces of the approval pages: status and clock tags, material preview links. */
import { Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { materialUrl, type AppMaterial, type ClockState } from './api';
import { applicationStatusText, clockText, pick, stageStatusText, taskStatusText } from './strings';

/** The name of a state in the current language; an unknown state shows as 其他 (never the code). */
function useText(table: Record<string, [string, string]>, key: string): string {
  const { lang } = useI18n();
  const entry = table[key];
  return entry ? pick(lang, entry[0], entry[1]) : pick(lang, '其他状态', 'Other');
}

const APP_COLORS: Record<string, string> = {
  submitted: 'processing',
  correction_requested: 'warning',
  accepted: 'blue',
  refused: 'error',
  rejected: 'error',
  withdrawn: 'default',
  terminated: 'volcano',
  completed: 'success',
  locked: 'default',
  open: 'cyan',
};

export function ApplicationStatusTag({ status }: { status: string }) {
  const text = useText(applicationStatusText, status);
  return (
    <Tag color={APP_COLORS[status] ?? 'default'} data-testid="application-status" data-status={status}>
      {text}
    </Tag>
  );
}

export function StageStatusTag({ status, testId }: { status: string; testId?: string }) {
  const text = useText(stageStatusText, status);
  return (
    <Tag color={APP_COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {text}
    </Tag>
  );
}

const TASK_COLORS: Record<string, string> = {
  in_review: 'processing',
  paused: 'warning',
  correction: 'orange',
  approved: 'success',
  rejected: 'error',
  returned: 'warning',
  revoked: 'default',
  withdrawn: 'default',
  terminated: 'volcano',
};

export function TaskStatusTag({ status }: { status: string }) {
  const text = useText(taskStatusText, status);
  return (
    <Tag color={TASK_COLORS[status] ?? 'default'} data-testid="task-status" data-status={status}>
      {text}
    </Tag>
  );
}

const CLOCK_COLORS: Record<ClockState, string> = { normal: 'green', warning: 'orange', overdue: 'red' };

/** The server's clock state (approvals/clock.rules) as a coloured tag. */
export function ClockTag({ state }: { state: ClockState }) {
  const text = useText(clockText, state);
  return (
    <Tag color={CLOCK_COLORS[state]} data-testid="clock-tag" data-state={state}>
      {text}
    </Tag>
  );
}

export function MaterialLink({ material }: { material: AppMaterial }) {
  return (
    <Typography.Link
      href={materialUrl(material.fileId)}
      target="_blank"
      rel="noreferrer"
      data-testid={`material-link-${material.materialCode}`}
    >
      {material.originalName}
    </Typography.Link>
  );
}

/** An inline preview: PDFs in an <object>, images in an <img>. */
export function MaterialPreview({ material }: { material: AppMaterial }) {
  const url = materialUrl(material.fileId);
  if (material.mediaType.startsWith('image/')) {
    return (
      <img
        src={url}
        alt={material.originalName}
        style={{ maxWidth: '100%', maxHeight: 480 }}
        data-testid="material-preview"
      />
    );
  }
  return (
    <object
      data={url}
      type={material.mediaType}
      style={{ width: '100%', height: 480, border: '1px solid #e5e5e5' }}
      data-testid="material-preview"
    >
      <a href={url} target="_blank" rel="noreferrer">
        {material.originalName}
      </a>
    </object>
  );
}
