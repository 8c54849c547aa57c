import { describe, expect, it } from 'vitest';
import type { OrchestratorConfig } from '../config/types.js';
import { liveColors } from './task-colors.js';

const config = (tasks: Record<string, boolean>): OrchestratorConfig => ({ tasks: Object.entries(tasks).map(([name, colors]) => ({ name, colors })) }) as unknown as OrchestratorConfig;

describe('liveColors', () => {
  it('answers from the current config and follows a reload', () => {
    let current = config({ web: true, worker: false });
    const colorsOf = liveColors(() => current);
    expect([colorsOf('web'), colorsOf('worker'), colorsOf('gone')]).toEqual([true, false, false]);
    current = config({ web: false, api: true });
    expect([colorsOf('web'), colorsOf('api'), colorsOf('worker')]).toEqual([false, true, false]);
  });
});
