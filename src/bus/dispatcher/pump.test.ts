import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../testing/virtual-clock.js';
import { newEntry, Parcel } from '../routing/parcel.js';
import type { TaskSource } from '../transport.js';
import { taskSpec } from '../transport.case.js';
import { DeliveryPod } from './delivery-pod.js';
import { InFlight } from './in-flight.js';
import { credit, OPEN_CREDIT } from './credit.js';
import { partitionRedelivery } from './pump.js';
import { createTaskState } from './task-state.js';

const entry = (data: string, attempt: number) => ({ ...newEntry(new Parcel({ id: data, topic: 'jobs', data, from: null, publishedAt: 0 })), attempt });
const source = {} as TaskSource; // credit() never reads it

function taskWith(mode: 'broadcast' | 'round_robin', concurrency: number, pods: { accepting: boolean; writable: boolean; held: number }[]) {
  const task = createTaskState(taskSpec('w', { mode, concurrency }), source);
  pods.forEach((p, i) => {
    const held = new InFlight(new VirtualClock(), null, () => {});
    for (let k = 0; k < p.held; k++) held.add(entry(`${i}.${k}`, 1));
    const pod = new DeliveryPod(`w-${i}`, 'w', 'framed', source, held);
    pod.ready = true;
    pod.draining = !p.accepting;
    pod.writable = p.writable;
    task.pods.push(pod);
  });
  return task;
}

describe('credit: what the pods of a task could take now (TaskSource.want)', () => {
  it('round_robin: the free slots of accepting, writable pods', () => {
    const task = taskWith('round_robin', 3, [
      { accepting: true, writable: true, held: 1 }, // 2
      { accepting: true, writable: false, held: 0 }, // pipe full: 0
      { accepting: false, writable: true, held: 0 }, // draining: 0
      { accepting: true, writable: true, held: 3 }, // full: 0
      { accepting: true, writable: true, held: 0 }, // 3
    ]);
    expect(credit(task)).toBe(5);
  });

  it('broadcast: open while every accepting pod is writable, 0 when one gates or none accepts', () => {
    expect(credit(taskWith('broadcast', 1, [{ accepting: true, writable: true, held: 0 }, { accepting: false, writable: false, held: 0 }]))).toBe(OPEN_CREDIT);
    expect(credit(taskWith('broadcast', 1, [{ accepting: true, writable: true, held: 0 }, { accepting: true, writable: false, held: 0 }]))).toBe(0);
    expect(credit(taskWith('broadcast', 1, [{ accepting: false, writable: true, held: 0 }]))).toBe(0);
    expect(credit(taskWith('broadcast', 1, []))).toBe(0);
  });
});

describe('partitionRedelivery', () => {
  it('keeps the order; entries delivered max_deliveries times are dead; attempts are left to the source', () => {
    const held = [entry('a', 1), entry('b', 3), entry('c', 2), entry('d', 4)];
    const { back, dead } = partitionRedelivery(held, 3);
    expect(back.map((e) => `${e.parcel.message.data}#${e.attempt}`)).toEqual(['a#1', 'c#2']);
    expect(dead.map((e) => `${e.parcel.message.data}#${e.attempt}`)).toEqual(['b#3', 'd#4']);
  });
});
