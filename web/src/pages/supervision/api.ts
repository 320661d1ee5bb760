/** Queries of the supervision area (电子监察): clocks, orders, anomalies, statistics, reports. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';

export type ClockState = 'normal' | 'warning' | 'overdue';

export interface SupervisedTask {
  id: string;
  itemCode: string;
  itemName: string;
  departmentCode: string;
  departmentName: string;
  projectCode: string;
  projectName: string;
  stage: number;
  status: string;
  deadline: string;
  remainingWorkingDays: number;
  overdueWorkingDays: number;
  clockState: ClockState;
  paused: boolean;
  pausedWorkingDays: number;
  /** 延期: working days an approved extension added (0: none). */
  extendedDays: number;
  extended: boolean;
}

export interface GroupRow {
  key: string;
  name: string;
  tasks: number;
  completed: number;
  onTime: number;
  overdue: number;
  onTimeRate: number | null;
  avgDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
  /** Tasks an approved 延期 moved. */
  extended: number;
}

export interface Overview {
  totals: {
    applications: number;
    tasks: number;
    completed: number;
    onTimeRate: number | null;
    overdueTasks: number;
    commitmentShare: number | null;
    deficiencyShare: number | null;
    extendedTasks: number;
  };
  byDepartment: GroupRow[];
  byStage: GroupRow[];
  byItem: GroupRow[];
  trend: { month: string; applications: number; started: number; finished: number }[];
  wholeProcess: {
    targetDays: number;
    over: number;
    within: number;
    /** Projects whose main line (stages 1–4) is complete: the whole-process figure. */
    projects: WholeProcessProject[];
    avgWorkingDays: number | null;
    medianWorkingDays: number | null;
    /** Projects still on the way, apart from the figure: elapsed working days so far. */
    running: {
      count: number;
      avgElapsedWorkingDays: number | null;
      overTarget: number;
      projects: WholeProcessProject[];
    };
  };
}

export interface WholeProcessProject {
  projectId: string;
  projectCode: string;
  projectName: string;
  startedOn: string;
  finished: boolean;
  completedOn: string | null;
  mainStages: number;
  completedStages: number;
  workingDays: number;
}

export interface Order {
  id: string;
  taskId: string;
  itemName: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  departmentCode: string;
  departmentName: string;
  message: string;
  dueDate: string;
  status: 'open' | 'answered' | 'escalated';
  response: string | null;
  issuedAt: string;
  escalatedAt: string | null;
}

export interface Anomaly {
  id: string;
  rule: string;
  ruleName: string;
  objectType: string;
  objectId: string;
  detectedAt: string;
  status: 'open' | 'closed';
  note: string | null;
}

export const useSupervisedTasks = (filter: {
  clockState?: ClockState;
  departmentCode?: string;
  stage?: number;
}) =>
  useQuery({
    queryKey: ['supervision', 'tasks', filter],
    queryFn: () =>
      apiRequest<{ tasks: SupervisedTask[] }>('/api/supervision/tasks', { query: filter }).then(
        (r) => r.tasks,
      ),
  });

export const useOverview = (enabled = true) =>
  useQuery({
    queryKey: ['stats', 'overview'],
    enabled,
    queryFn: () => apiRequest<Overview>('/api/stats/overview'),
  });

/** 督办 orders: all supervised ones, or (mine) those of my department — a head's escalations. */
export const useOrders = (enabled: boolean, mine = false) =>
  useQuery({
    queryKey: ['supervision', 'orders', mine],
    enabled,
    queryFn: () =>
      apiRequest<{ orders: Order[] }>('/api/supervision/orders', {
        query: mine ? { mine: 'true' } : {},
      }).then((r) => r.orders),
  });

export const useAnomalies = (enabled: boolean) =>
  useQuery({
    queryKey: ['supervision', 'anomalies'],
    enabled,
    queryFn: () =>
      apiRequest<{ anomalies: Anomaly[] }>('/api/supervision/anomalies').then((r) => r.anomalies),
  });

export function useSupervisionMutation<T>(path: (v: T) => string, body: (v: T) => unknown) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: T) => apiRequest(path(v), { method: 'POST', body: body(v) }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['supervision'] }),
  });
}
