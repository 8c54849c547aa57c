import { describe, expect, test } from 'vitest';
import type { Pod } from '../pod/pod.js';
import type { PodState } from '../pod/pod-state.js';
import { podEventJson } from './lifecycle-log.js';

const pod = { name: 'worker-0', spec: { name: 'worker' }, state: { phase: 'running', pid: 42 } } as unknown as Pod;
const previous = { phase: 'starting' } as unknown as PodState;

describe('podEventJson', () => {
  test('in process: no instance key', () => {
    expect(JSON.parse(podEventJson(pod, previous, 7))).toEqual({ pod: 'worker-0', task: 'worker', event: 'running', from: 'starting', at: 7, pid: 42 });
  });
  test('on a NATS bus: the instance tells equal pod names apart', () => {
    expect(JSON.parse(podEventJson(pod, previous, 7, 'web-1'))).toEqual({ pod: 'worker-0', task: 'worker', event: 'running', from: 'starting', at: 7, instance: 'web-1', pid: 42 });
  });
});
