/** TanStack Query hooks, one per API resource. Query keys start with the resource name. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  CalendarNotice,
  CalendarYear,
  CalendarYearSummary,
  CatalogChange,
  CatalogIssue,
  CatalogItem,
  CatalogItemDetail,
  DeadlineResult,
  Department,
  Health,
  ProcessTemplate,
} from './types';

export const queryKeys = {
  session: ['session'] as const,
  departments: ['departments'] as const,
  catalogItems: (filters: CatalogFilters) => ['catalog', 'items', filters] as const,
  catalogItem: (code: string) => ['catalog', 'item', code] as const,
  catalogChanges: ['catalog', 'changes'] as const,
  catalogValidation: ['catalog', 'validation'] as const,
  templates: ['templates'] as const,
  template: (code: string) => ['templates', code] as const,
  calendarYears: ['calendar', 'years'] as const,
  calendarYear: (year: number) => ['calendar', 'year', year] as const,
  deadline: (start: string, workingDays: number) => ['calendar', 'deadline', start, workingDays] as const,
  health: ['health'] as const,
};

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => api.get<Health>('/api/health', undefined, signal),
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: queryKeys.departments,
    queryFn: ({ signal }) => api.get<{ departments: Department[] }>('/api/departments', undefined, signal),
    select: (d) => d.departments,
    staleTime: 10 * 60_000,
  });
}

/** code → name, for showing department codes as names. */
export function useDepartmentNames(): (code: string | null | undefined) => string {
  const { data } = useDepartments();
  return (code) => {
    if (!code) return '—';
    return data?.find((d) => d.code === code)?.name ?? code;
  };
}

export interface CatalogFilters {
  stage?: number;
  department?: string;
  q?: string;
  status?: 'active' | 'cancelled' | 'merged' | 'all';
}

export function useCatalogItems(filters: CatalogFilters) {
  return useQuery({
    queryKey: queryKeys.catalogItems(filters),
    queryFn: ({ signal }) => api.get<{ items: CatalogItem[] }>('/api/catalog/items', { ...filters }, signal),
    select: (d) => d.items,
    placeholderData: (previous) => previous,
  });
}

export function useCatalogItem(code: string) {
  return useQuery({
    queryKey: queryKeys.catalogItem(code),
    queryFn: ({ signal }) =>
      api.get<CatalogItemDetail>(`/api/catalog/items/${encodeURIComponent(code)}`, undefined, signal),
    enabled: code !== '',
  });
}

export function useCatalogChanges() {
  return useQuery({
    queryKey: queryKeys.catalogChanges,
    queryFn: ({ signal }) => api.get<{ changes: CatalogChange[] }>('/api/catalog/changes', undefined, signal),
    select: (d) => d.changes,
  });
}

export function useCatalogValidation() {
  return useQuery({
    queryKey: queryKeys.catalogValidation,
    queryFn: ({ signal }) =>
      api.get<{ issues: CatalogIssue[] }>('/api/catalog/validation', undefined, signal),
    select: (d) => d.issues,
  });
}

export function useProcessTemplates() {
  return useQuery({
    queryKey: queryKeys.templates,
    queryFn: ({ signal }) =>
      api.get<{ templates: ProcessTemplate[] }>('/api/process-templates', undefined, signal),
    select: (d) => d.templates,
  });
}

export function useProcessTemplate(code: string) {
  return useQuery({
    queryKey: queryKeys.template(code),
    queryFn: ({ signal }) =>
      api.get<ProcessTemplate>(`/api/process-templates/${encodeURIComponent(code)}`, undefined, signal),
    enabled: code !== '',
  });
}

export function flowchartUrl(code: string): string {
  return `/api/process-templates/${encodeURIComponent(code)}/flowchart.svg`;
}

export function useCalendarYears() {
  return useQuery({
    queryKey: queryKeys.calendarYears,
    queryFn: ({ signal }) =>
      api.get<{ years: CalendarYearSummary[] }>('/api/calendar/years', undefined, signal),
    select: (d) => d.years,
  });
}

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: queryKeys.calendarYear(year),
    queryFn: ({ signal }) => api.get<CalendarYear>(`/api/calendar/years/${year}`, undefined, signal),
  });
}

export function useLoadCalendarNotice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (notice: CalendarNotice) =>
      api.put<CalendarYear>(`/api/admin/calendar/notices/${notice.year}`, notice),
    onSuccess: async (data) => {
      client.setQueryData(queryKeys.calendarYear(data.year), data);
      await client.invalidateQueries({ queryKey: ['calendar'] });
    },
  });
}

export function useDeadline(params: { start: string; workingDays: number } | null) {
  return useQuery({
    queryKey: queryKeys.deadline(params?.start ?? '', params?.workingDays ?? 0),
    queryFn: ({ signal }) =>
      api.get<DeadlineResult>(
        '/api/calendar/deadline',
        { start: params?.start, workingDays: params?.workingDays },
        signal,
      ),
    enabled: params !== null,
  });
}
