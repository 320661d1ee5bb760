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
  };
  byDepartment: GroupRow[];
  byStage: GroupRow[];
  byItem: GroupRow[];
  trend: { month: string; applications: number; started: number; finished: number }[];
  wholeProcess: {
    targetDays: number;
    over: number;
    within: number;
    projects: { projectCode: string; workingDays: number }[];
  };
}

export interface Order {
  id: string;
  taskId: string;
  departmentCode: string;
  message: string;
  dueDate: string;
  status: 'open' | 'answered' | 'escalated';
  response: string | null;
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

export const useOverview = () =>
  useQuery({ queryKey: ['stats', 'overview'], queryFn: () => apiRequest<Overview>('/api/stats/overview') });

export const useOrders = (enabled: boolean) =>
  useQuery({
    queryKey: ['supervision', 'orders'],
    enabled,
    queryFn: () => apiRequest<{ orders: Order[] }>('/api/supervision/orders').then((r) => r.orders),
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
