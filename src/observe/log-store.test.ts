import { describe, expect, it } from 'vitest';
import { PodLogStore, type LogQuery } from './log-store.js';

const all: LogQuery = { targets: [], tail: null, since: null, previous: false };

describe('PodLogStore', () => {
  it('interleaves pods in arrival order and selects by task or pod', () => {
    let now = 1000;
    const store = new PodLogStore(() => now++);
    store.newRun('web-0', 'web', 10);
    store.newRun('worker-0', 'worker', 10);
    store.record('web-0', 'web', 'stdout', 'a');
    store.record('worker-0', 'worker', 'stderr', 'b');
    store.record('web-0', 'web', 'stdout', 'c');
    expect(store.query(all).map((l) => `${l.pod}:${l.line}`)).toEqual(['web-0:a', 'worker-0:b', 'web-0:c']);
    expect(store.query({ ...all, targets: ['web'] }).map((l) => l.line)).toEqual(['a', 'c']);
    expect(store.query({ ...all, targets: ['worker-0'] }).map((l) => l.stream)).toEqual(['stderr']);
  });

  it('applies tail per pod and since by time', () => {
    let now = 0;
    const store = new PodLogStore(() => now);
    store.newRun('a-0', 'a', 10);
    store.newRun('a-1', 'a', 10);
    for (const [t, pod, line] of [[1, 'a-0', '1'], [2, 'a-1', '2'], [3, 'a-0', '3'], [4, 'a-1', '4']] as const) {
      now = t;
      store.record(pod, 'a', 'stdout', line);
    }
    expect(store.query({ ...all, tail: 1 }).map((l) => l.line)).toEqual(['3', '4']);
    expect(store.query({ ...all, since: 3 }).map((l) => l.line)).toEqual(['3', '4']);
  });

  it('keeps the previous run of a restarted pod, bounded by log_buffer', () => {
    const store = new PodLogStore(() => 0);
    store.newRun('w-0', 'w', 2);
    for (const line of ['x', 'y', 'z']) store.record('w-0', 'w', 'stdout', line);
    store.newRun('w-0', 'w', 2);
    store.record('w-0', 'w', 'stdout', 'new');
    expect(store.query({ ...all, previous: true }).map((l) => l.line)).toEqual(['y', 'z']);
    expect(store.query(all).map((l) => l.line)).toEqual(['new']);
  });

  it('shows a gone pod only when named', () => {
    const store = new PodLogStore(() => 0);
    store.newRun('w-3', 'w', 5);
    store.record('w-3', 'w', 'stdout', 'bye');
    store.forget('w-3');
    expect(store.query({ ...all, targets: ['w'] })).toEqual([]);
    expect(store.query({ ...all, targets: ['w-3'] }).map((l) => l.line)).toEqual(['bye']);
  });

  it('streams new lines of selected pods to followers until unsubscribed', () => {
    const store = new PodLogStore(() => 0);
    const seen: string[] = [];
    const stop = store.follow(['w'], (l) => seen.push(l.line));
    store.record('w-0', 'w', 'stdout', 'one');
    store.record('x-0', 'x', 'stdout', 'other');
    stop();
    store.record('w-0', 'w', 'stdout', 'two');
    expect(seen).toEqual(['one']);
  });
});
