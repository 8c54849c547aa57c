import { describe, expect, it } from 'vitest';
import type { ProbeAction, ReadinessSpec } from '../config/types.js';
import { systemClock } from '../util/clock.js';
import { PodHealth } from './pod-health.js';

function health(ready: ReadinessSpec<ProbeAction>) {
  const events: string[] = [];
  const h = new PodHealth(
    { ready, alive: null },
    { clock: systemClock, cwd: '/', env: {}, onReady: () => events.push('ready'), onUnhealthy: (r) => events.push(`unhealthy ${r}`) },
  );
  return { h, events };
}

describe('PodHealth readiness', () => {
  it('is ready at start with ready = "started"', () => {
    const { h, events } = health({ kind: 'started' });
    expect(h.ready).toBe(false);
    h.start();
    expect([h.ready, events]).toEqual([true, ['ready']]);
  });

  it('waits for "system.ready" with ready = "signal", reporting it once', () => {
    const { h, events } = health({ kind: 'signal' });
    h.start();
    h.line('listening');
    expect(events).toEqual([]);
    h.signal();
    h.signal();
    expect(events).toEqual(['ready']);
  });

  it('becomes ready on the first matching line with ready = { log }', () => {
    const { h, events } = health({ kind: 'log', pattern: /listening on \d+/ });
    h.start();
    h.signal();
    h.line('starting up');
    expect(events).toEqual([]);
    h.line('listening on 8080');
    h.line('listening on 8081');
    expect(events).toEqual(['ready']);
  });

  it('reports nothing once stopped', () => {
    const { h, events } = health({ kind: 'log', pattern: /up/ });
    h.start();
    h.stop();
    h.line('up');
    expect([h.ready, events]).toEqual([false, []]);
  });
});
