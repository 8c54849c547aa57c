import { describe, expect, it } from 'vitest';
import { addError, addSample, cellText, compareRows, mapSeries, newSeries, runOrder, stats, verdict, zipSeries, type Series } from '../../bench/lib/stats.mjs';

function series(values: number[], unavailable: string | null = null): Series {
  const s = newSeries(unavailable);
  values.forEach((v, run) => addSample(s, run, v));
  return s;
}

const atLeast = (value: number) => ({ kind: 'ratio-min' as const, value, text: `≥ ${value}×` });
const atMost = (value: number) => ({ kind: 'ratio-max' as const, value, text: `≤ ${value}×` });

describe('stats', () => {
  it('gives the median with min and max of an odd and an even count', () => {
    expect(stats([5, 1, 3, 9, 7])).toEqual({ median: 5, min: 1, max: 9, n: 5, samples: [5, 1, 3, 9, 7] });
    expect(stats([4, 1, 3, 2])).toMatchObject({ median: 2.5, min: 1, max: 4, n: 4 });
  });

  it('is null without samples', () => {
    expect(stats([])).toBeNull();
  });
});

describe('runOrder', () => {
  it('alternates declared and reversed order (A B, B A, A B, …) so drift falls on every measurement alike', () => {
    const order = [0, 1, 2, 3].map((run) => runOrder(run, ['ours', 'relay', 'nats']).join(' '));
    expect(order).toEqual(['ours relay nats', 'nats relay ours', 'ours relay nats', 'nats relay ours']);
  });

  it('never reorders the caller’s array', () => {
    const items = ['a', 'b'];
    runOrder(1, items);
    expect(items).toEqual(['a', 'b']);
  });
});

describe('series', () => {
  it('rejects a measurement that returned nothing', () => {
    expect(() => addSample(newSeries<unknown>(), 0, undefined)).toThrow('a measurement returned undefined');
  });

  it('maps samples and keeps runs and errors', () => {
    const s = newSeries<{ p50: number }>();
    addSample(s, 0, { p50: 0.2 });
    addError(s, 1, new Error('collector lost 3 messages'));
    addSample(s, 2, { p50: 0.4 });
    const p50 = mapSeries(s, (x) => x.p50);
    expect(p50.samples).toEqual([0.2, 0.4]);
    expect(p50.runs).toEqual([0, 2]);
    expect(p50.errors).toHaveLength(1);
    expect(p50.errors[0]?.message).toContain('collector lost 3 messages');
  });

  it('turns a mapped value that is not a finite number into an error of its run', () => {
    const s = newSeries<{ cpuPerK: number }>();
    addSample(s, 0, { cpuPerK: 4 });
    addSample(s, 1, { cpuPerK: NaN });
    const cpu = mapSeries(s, (x) => x.cpuPerK);
    expect(cpu.samples).toEqual([4]);
    expect(cpu.errors).toEqual([{ run: 1, message: 'run 1: got NaN, not a finite number' }]);
  });

  it('zips two series on the runs both have, with the errors of both', () => {
    const big = series([100, 102, 104]);
    const small = newSeries();
    addSample(small, 0, 50);
    addError(small, 1, 'supervisor gone');
    addSample(small, 2, 54);
    const perPod = zipSeries(big, small, (a, b) => a - b);
    expect(perPod.samples).toEqual([50, 50]);
    expect(perPod.runs).toEqual([0, 2]);
    expect(perPod.errors).toEqual([{ run: 1, message: 'supervisor gone' }]);
  });
});

describe('verdict', () => {
  it('passes a rate at or above its ratio to the same-run baseline and fails below', () => {
    const pass = verdict({ ours: series([70, 80, 75]), baseline: { label: 'relay', series: series([100, 100, 100]) }, target: atLeast(0.7) });
    expect(pass).toMatchObject({ status: 'pass', pass: true, ratio: 0.75 });
    const fail = verdict({ ours: series([60, 69, 65]), baseline: { label: 'relay', series: series([100, 100, 100]) }, target: atLeast(0.7) });
    expect(fail).toMatchObject({ status: 'FAIL', pass: false, ratio: 0.65 });
  });

  it('passes a time or memory at or below its ratio', () => {
    expect(verdict({ ours: series([11, 11, 11]), baseline: { label: 'raw', series: series([10, 10, 10]) }, target: atMost(1.1) }).status).toBe('pass');
    expect(verdict({ ours: series([12, 12, 12]), baseline: { label: 'raw', series: series([10, 10, 10]) }, target: atMost(1.1) }).status).toBe('FAIL');
  });

  it('passes a time at most its offset above the baseline, a baseline of 0 included', () => {
    const within = (value: number) => ({ kind: 'offset-max' as const, value, text: `≤ baseline + ${value} ms` });
    expect(verdict({ ours: series([2.9, 3, 3.1]), baseline: { label: 'raw', series: series([2, 2, 2]) }, target: within(1) })).toMatchObject({ status: 'pass', pass: true });
    expect(verdict({ ours: series([3.1, 3.2, 3.3]), baseline: { label: 'raw', series: series([2, 2, 2]) }, target: within(1) })).toMatchObject({ status: 'FAIL', pass: false });
    expect(verdict({ ours: series([400, 500, 600]), baseline: { label: 'at once', series: series([0, 0, 0]) }, target: within(1000) })).toMatchObject({ status: 'pass', ratio: null });
  });

  it('is an ERROR with the first error when any run of ours or of the baseline failed, even if the median would pass', () => {
    const ours = series([90, 90]);
    addError(ours, 2, new Error('orchestrator flood: 524287 messages received, expected 524288'));
    const v = verdict({ ours, baseline: { label: 'relay', series: series([100, 100, 100]) }, target: atLeast(0.7) });
    expect(v).toMatchObject({ status: 'ERROR', pass: false });
    expect(v.error).toContain('524287 messages received');
    const base = newSeries();
    addError(base, 0, 'nats-sub: exit 1');
    expect(verdict({ ours: series([1]), baseline: { label: 'NATS', series: base }, target: atLeast(1) })).toMatchObject({ status: 'ERROR', error: 'nats-sub: exit 1' });
  });

  it('is an ERROR when ours has no sample at all', () => {
    expect(verdict({ ours: newSeries(), baseline: null, target: null })).toMatchObject({ status: 'ERROR', pass: false });
  });

  it('is n/a, never pass, when the baseline cannot run here or has no sample', () => {
    expect(verdict({ ours: series([5]), baseline: { label: 'NATS', series: newSeries('nats-server not on PATH') }, target: atLeast(1.5) })).toMatchObject({ status: 'n/a', pass: null, unavailable: 'nats-server not on PATH' });
    expect(verdict({ ours: series([5]), baseline: { label: 'NATS', series: newSeries() }, target: atLeast(1.5) })).toMatchObject({ status: 'n/a', pass: null });
  });

  it('is info without a target, with the ratio still shown', () => {
    expect(verdict({ ours: series([1, 3]), baseline: { label: 'pipe', series: series([4, 4]) }, target: null })).toMatchObject({ status: 'info', ratio: 0.5 });
  });
});

describe('compareRows', () => {
  it('gives A and B medians and B/A per row, with the errors of both builds', () => {
    const b = series([120, 130, 110]);
    addError(b, 3, 'orchestrator: exit 1');
    const rows = compareRows([{ name: 'broadcast', series: series([100, 90, 110]) }], [{ name: 'broadcast', series: b }]);
    expect(rows).toEqual([{ name: 'broadcast', a: expect.objectContaining({ median: 100 }), b: expect.objectContaining({ median: 120 }), ratio: 1.2, errors: ['B: orchestrator: exit 1'] }]);
  });
});

describe('cellText', () => {
  it('keeps the first non-empty line, escapes pipes and shortens', () => {
    expect(cellText('\nError: a | b\n    at x')).toBe('Error: a \\| b');
    expect(cellText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
