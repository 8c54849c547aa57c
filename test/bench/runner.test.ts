import { describe, expect, it } from 'vitest';
import { cliPath } from '../../bench/lib/harness.mjs';
import { runMeasurements, type Scenario, type ScenarioContext } from '../../bench/lib/runner.mjs';

function ctx(runs: number, timeLeft = () => 1e9): ScenarioContext {
  return { runs, timeLeft, shared: new Map() };
}

/** A scenario whose measurements log "<key>@<cli>" and return the run's call count. */
function recording(log: string[], extra: Scenario['measurements'] = () => ({})): Scenario {
  let calls = 0;
  const m = (key: string) => () => {
    log.push(`${key}@${cliPath()}`);
    return ++calls;
  };
  return {
    id: 'fake',
    measurements: (c) => ({ ours: { orchestrator: true, fn: m('ours') }, base: { fn: m('base') }, ...extra(c) }),
    rows: () => [],
  };
}

describe('runMeasurements', () => {
  it('runs ours and the baselines alternately (ABBA), one sample per run each', async () => {
    const log: string[] = [];
    const series = await runMeasurements(recording(log), ctx(4), [{ label: 'ours', cli: 'dist' }]);
    expect(log).toEqual(['ours@dist', 'base@dist', 'base@dist', 'ours@dist', 'ours@dist', 'base@dist', 'base@dist', 'ours@dist']);
    expect(series.ours?.ours?.runs).toEqual([0, 1, 2, 3]);
    expect(series.ours?.base?.samples).toHaveLength(4);
  });

  it('keeps a failed run as an error of its series and goes on with the next', async () => {
    let n = 0;
    const mod: Scenario = {
      id: 'flaky',
      measurements: () => ({
        ours: {
          fn: () => {
            if (++n === 2) throw new Error('orchestrator: exit 1');
            return n;
          },
        },
      }),
      rows: () => [],
    };
    const series = await runMeasurements(mod, ctx(3), [{ label: 'ours', cli: 'dist' }]);
    expect(series.ours?.ours?.samples).toEqual([1, 3]);
    expect(series.ours?.ours?.errors.map((e) => [e.run, e.message.split('\n')[0]])).toEqual([[1, 'Error: orchestrator: exit 1']]);
  });

  it('skips unavailable baselines and marks their series', async () => {
    const log: string[] = [];
    const series = await runMeasurements(recording(log, () => ({ nats: { unavailable: 'nats-server not on PATH' } })), ctx(1), [{ label: 'ours', cli: 'dist' }]);
    expect(series.ours?.nats).toMatchObject({ samples: [], errors: [], unavailable: 'nats-server not on PATH' });
  });

  it('starts a further round only while the budget allows it (the first always runs)', async () => {
    const log: string[] = [];
    await runMeasurements({ ...recording(log), roundMs: 10 }, ctx(5, () => 0), [{ label: 'ours', cli: 'dist' }]);
    expect(log).toEqual(['ours@dist', 'base@dist']);
  });

  it('in compare mode runs only the orchestrator measurements, for build A and B alternately', async () => {
    const log: string[] = [];
    const variants = [
      { label: 'A', cli: 'rev/cli' },
      { label: 'B', cli: 'dist/cli' },
    ];
    const series = await runMeasurements(recording(log), ctx(2), variants, { compare: true });
    expect(log).toEqual(['ours@rev/cli', 'ours@dist/cli', 'ours@dist/cli', 'ours@rev/cli']);
    expect(series.A?.ours?.samples).toHaveLength(2);
    expect(series.B?.ours?.samples).toHaveLength(2);
    expect(series.A?.base?.samples).toEqual([]);
  });

  it('shares series with a later scenario, which then does not measure them again', async () => {
    const c = ctx(1);
    const log: string[] = [];
    await runMeasurements({ ...recording(log), share: { ours: 'fake-ours' } }, c, [{ label: 'ours', cli: 'dist' }]);
    const later = recording(log, () => ({ again: { orchestrator: true, from: 'fake-ours', fn: () => 99 } }));
    const series = await runMeasurements(later, c, [{ label: 'ours', cli: 'dist' }]);
    expect(log.filter((l) => l.startsWith('again'))).toEqual([]);
    expect(series.ours?.again?.samples).toEqual([1]);
  });
});
