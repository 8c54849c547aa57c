import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { diffConfig } from './config-diff.js';

const load = (toml: string) => loadConfig('/project/tasks.toml', { readFile: () => toml, env: {} });

const base = `
[tasks.web]
command = "node web.js"

[tasks.worker]
command = "python3 worker.py"
replicas = 3
subscribe = ["jobs"]
mode = "round_robin"
`;

describe('diffConfig', () => {
  it('finds nothing to do for the same file', () => {
    const diff = diffConfig(load(base), load(base));
    expect(diff).toMatchObject({ added: [], removed: [], changed: [], unchanged: ['web', 'worker'] });
  });

  it('applies queue limits live, without rolling the pods', () => {
    const next = load(base.replace('mode = "round_robin"', 'mode = "round_robin"\nmax_queue = 50\nmax_queue_bytes = "8MiB"'));
    const [change] = diffConfig(load(base), next).changed;
    expect(change).toMatchObject({ keys: ['maxQueue', 'maxQueueBytes'], roll: false, scale: false });
  });

  it('adds and removes tasks by name', () => {
    const next = load(`[tasks.worker]\ncommand = "python3 worker.py"\nreplicas = 3\nsubscribe = ["jobs"]\nmode = "round_robin"\n\n[tasks.api]\ncommand = "node api.js"\n`);
    const diff = diffConfig(load(base), next);
    expect(diff.added.map((t) => t.name)).toEqual(['api']);
    expect(diff.removed).toEqual(['web']);
    expect(diff.unchanged).toEqual(['worker']);
  });

  it('rolls on a pod template change (command, env, stop_signal) and only scales on replicas', () => {
    const next = load(base.replace('node web.js', 'node web2.js').replace('replicas = 3', 'replicas = 5'));
    const diff = diffConfig(load(base), next);
    expect(diff.changed.map((c) => [c.spec.name, c.roll, c.scale, c.keys])).toEqual([
      ['web', true, false, ['command']],
      ['worker', false, true, ['replicas']],
    ]);
    const env = diffConfig(load(base), load(base.replace('node web.js"', 'node web.js"\nenv = { A = "1" }\nstop_signal = "SIGINT"')));
    expect(env.changed[0]).toMatchObject({ roll: true, keys: ['env', 'stopSignal'] });
  });

  it('updates subscriptions and mode live, without a roll', () => {
    const next = load(base.replace('subscribe = ["jobs"]', 'subscribe = ["jobs", "more"]').replace('"round_robin"', '"broadcast"'));
    const [change] = diffConfig(load(base), next).changed;
    expect(change).toMatchObject({ roll: false, scale: false, keys: ['subscribe', 'mode'] });
  });

  it('compares per-pod templates as written: the same template rolls nothing, a changed one rolls', () => {
    const templated = base.replace('node web.js', 'node web.js --port 80${ORCHESTRATOR_REPLICA}') + 'env = { DATA = "d/${ORCHESTRATOR_POD}" }\n';
    expect(diffConfig(load(templated), load(templated))).toMatchObject({ changed: [], unchanged: ['web', 'worker'] });
    const [change] = diffConfig(load(templated), load(templated.replace('d/${ORCHESTRATOR_POD}', 'e/${ORCHESTRATOR_POD}'))).changed;
    expect(change).toMatchObject({ keys: ['env'], roll: true });
  });
});

describe('diffConfig with autoscale', () => {
  const pool = (autoscale: string) => `[tasks.pool]\ncommand = "w"\nsubscribe = ["jobs"]\nmode = "round_robin"\n${autoscale}\n`;

  it('new bounds are live: no roll, and never a scale (the autoscaler owns the count)', () => {
    const [change] = diffConfig(load(pool('autoscale = { max = 2 }')), load(pool('autoscale = { min = 1, max = 5 }'))).changed;
    expect(change).toMatchObject({ keys: ['replicas', 'autoscale'], roll: false, scale: false });
  });

  it('going back to a fixed count scales to replicas, even when replicas reads the same', () => {
    const [change] = diffConfig(load(pool('autoscale = { min = 1, max = 2 }')), load(pool('replicas = 1'))).changed;
    expect(change).toMatchObject({ keys: ['autoscale'], roll: false, scale: true });
  });
});

