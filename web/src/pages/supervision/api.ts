/** Queries of the supervision area (电子监察): clocks, orders, anomalies, statistics, reports. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { ApiResponse } from '../../api/types';

type OrderList = ApiResponse<'/api/supervision/orders'>;

export type SupervisedTask = ApiResponse<'/api/supervision/tasks'>['tasks'][number];
export type ClockState = SupervisedTask['clockState'];
export type Overview = ApiResponse<'/api/stats/overview'>;
export type GroupRow = Overview['byDepartment'][number];
export type WholeProcessProject = Overview['wholeProcess']['projects'][number];
export type Order = OrderList['orders'][number];
export type Anomaly = ApiResponse<'/api/supervision/anomalies'>['anomalies'][number];

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
