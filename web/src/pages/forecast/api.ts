/** Types and calls of the forecast API (predicted completion, running list, reform scenarios). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export type Basis = 'history' | 'promised' | 'mixed' | 'known';

export interface ProjectForecast {
  projectId: string;
  projectCode: string;
  projectName: string;
  asOf: string;
  runs: number;
  finished: boolean;
  basis: Basis;
  startedOn: string | null;
  completion: {
    p50WorkingDays: number;
    p90WorkingDays: number;
    p50Date: string;
    p90Date: string;
    histogram: { workingDays: number; date?: string; runs: number }[];
  };
  wholeProcess: {
    elapsedWorkingDays: number;
    p50WorkingDays: number;
    p90WorkingDays: number;
    targetWorkingDays: number;
  };
  naive: { date: string; workingDays: number };
  stages: {
    nationalStage: number;
    name: string;
    mainLine: boolean;
    state: 'done' | 'running' | 'future';
    doneOn: string | null;
    basis: Basis;
    p50Date: string;
    p90Date: string;
  }[];
  items: {
    itemCode: string;
    itemName: string;
    departmentCode: string;
    nationalStage: number;
    state: 'done' | 'running' | 'future';
    basis: 'history' | 'promised';
    samples: number;
    promisedDays: number;
    medianDays: number | null;
    p50Date: string;
    p90Date: string;
  }[];
}

export interface RunningForecast {
  projectId: string;
  projectCode: string;
  projectName: string;
  templateCode: string;
  basis: Basis;
  startedOn: string | null;
  wholeProcess: ProjectForecast['wholeProcess'];
  naive: ProjectForecast['naive'];
  p50Date: string;
  p90Date: string;
  currentStage: string | null;
}

export interface ScenarioChanges {
  limits: { itemCode: string; promisedTimeLimitDays: number }[];
  parallel: string[];
  mergeItems: { into: string; items: string[] }[];
  mergeStages: number[][];
  commitmentShare: number | null;
  deficiencyShare: number | null;
}

export interface ScenarioSide {
  totalWorkingDays: number;
  stages: {
    nationalStage: number;
    name: string;
    mainLine: boolean;
    timeLimitWorkingDays: number;
    p50WorkingDays: number;
    p90WorkingDays: number;
  }[];
  distribution: {
    p50WorkingDays: number;
    p90WorkingDays: number;
    meanWorkingDays: number;
    histogram: { workingDays: number; runs: number }[];
  };
  basis: Basis;
  withinLines: { line: number; share: number }[];
}

export interface ScenarioComparison {
  id: string | null;
  name: string;
  templateCode: string;
  templateName: string;
  templateVersion: number;
  runs: number;
  lines: number[];
  live: ScenarioSide;
  sandbox: ScenarioSide;
  problems: { code: string; message: string }[];
}

export interface ScenarioSummary {
  id: string;
  name: string;
  templateCode: string;
  templateVersion: number;
  createdAt: string;
  liveTotalWorkingDays: number;
  sandboxTotalWorkingDays: number;
}

export function useProjectForecast(projectId: string) {
  return useQuery({
    queryKey: ['forecast', 'project', projectId],
    queryFn: ({ signal }) =>
      api.get<ProjectForecast>(`/api/projects/${projectId}/forecast`, undefined, signal),
    enabled: !!projectId,
  });
}

export function useRunningForecasts() {
  return useQuery({
    queryKey: ['forecast', 'running'],
    queryFn: ({ signal }) =>
      api.get<{ asOf: string; projects: RunningForecast[] }>('/api/forecast/projects', undefined, signal),
  });
}

export function useScenarios(enabled: boolean) {
  return useQuery({
    queryKey: ['forecast', 'scenarios'],
    queryFn: ({ signal }) =>
      api.get<{ scenarios: ScenarioSummary[] }>('/api/forecast/scenarios', undefined, signal),
    select: (d) => d.scenarios,
    enabled,
  });
}

export interface ScenarioInput {
  templateCode: string;
  name: string;
  changes: ScenarioChanges;
}

export function usePreviewScenario() {
  return useMutation({
    mutationFn: (input: ScenarioInput) =>
      api.post<ScenarioComparison>('/api/forecast/scenarios/preview', input),
  });
}

export function useSaveScenario() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ScenarioInput) => api.post<ScenarioComparison>('/api/forecast/scenarios', input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['forecast', 'scenarios'] }),
  });
}
