// Types of runner.mjs for the type-checked unit tests (test/bench/runner.test.ts).
import type { Series } from './stats.mjs';

export interface Measurement {
  fn?: () => Promise<unknown> | unknown;
  orchestrator?: boolean;
  unavailable?: string;
  from?: string;
}
export interface ScenarioContext {
  runs: number;
  timeLeft: () => number;
  shared: Map<string, Series<unknown>>;
  [key: string]: unknown;
}
export interface Scenario {
  id: string;
  roundMs?: number;
  runs?: () => number;
  share?: Record<string, string>;
  measurements: (ctx: ScenarioContext) => Record<string, Measurement>;
  rows: (series: Record<string, Series<unknown>>, ctx: ScenarioContext) => unknown[];
}
export function guardProcess(): void;
export function runMeasurements(
  mod: Scenario,
  ctx: ScenarioContext,
  variants: { label: string; cli: string }[],
  options?: { compare?: boolean; profRoot?: string | null },
): Promise<Record<string, Record<string, Series<unknown>>>>;
export function namedOurs(id: string, rows: { scenario: string; unit: string; lowerIsBetter?: boolean; ours: Series }[]): { name: string; series: Series }[];
