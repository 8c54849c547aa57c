// Types of stats.mjs for the type-checked unit tests (test/bench/stats.test.ts).
export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
  samples: number[];
}
export interface SeriesError {
  run: number;
  message: string;
}
export interface Series<T = number> {
  samples: T[];
  runs: number[];
  errors: SeriesError[];
  unavailable: string | null;
}
export interface Target {
  kind: 'ratio-min' | 'ratio-max' | 'offset-max';
  value: number;
  text: string;
}
export interface Row {
  ours: Series;
  baseline: { label: string; series: Series } | null;
  target: Target | null;
}
export interface Verdict {
  ours: Stats | null;
  baseline: Stats | null;
  ratio: number | null;
  pass: boolean | null;
  status: 'pass' | 'FAIL' | 'ERROR' | 'n/a' | 'info';
  error: string | null;
  unavailable: string | null;
}
export function stats(samples: number[]): Stats | null;
export function runOrder<T>(run: number, items: readonly T[]): T[];
export function newSeries<T = number>(unavailable?: string | null): Series<T>;
export function addSample<T>(series: Series<T>, run: number, value: T): void;
export function addError(series: Series<unknown>, run: number, error: unknown): void;
export function errorText(error: unknown): string;
export function mapSeries<T, U>(series: Series<T>, f: (x: T) => U): Series<U>;
export function zipSeries<A, B, U>(a: Series<A>, b: Series<B>, f: (x: A, y: B) => U): Series<U>;
export function cellText(message: string, max?: number): string;
export function verdict(row: Row): Verdict;
export function compareRows(
  rowsA: { name: string; series: Series }[],
  rowsB: { name: string; series: Series }[],
): { name: string; a: Stats | null; b: Stats | null; ratio: number | null; errors: string[] }[];
