import type { Generated, JSONColumnType } from 'kysely';
import type { ScenarioChanges } from './forecast.schemas';

export interface ForecastScenarioTable {
  id: Generated<string>;
  name: string;
  templateCode: string;
  templateVersion: number;
  changes: JSONColumnType<ScenarioChanges, string, string>;
  createdBy: string;
  createdAt: Date;
}

export interface ForecastTables {
  forecastScenario: ForecastScenarioTable;
}
