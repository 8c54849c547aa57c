import { TASK_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { parseHostPort } from './probe-schema.js';
import { splitCommand } from './split-command.js';
import type { ProbeAction, ProbeSpec, ReadinessSpec } from './types.js';

/**
 * Turns schema-valid `ready` / `alive` values into specs. The schema already proved there is exactly
 * one action and that it parses, so a failure here is a bug and throws.
 */

type ProbeTable = {
  readonly log?: string | undefined;
  readonly exec?: string | readonly string[] | undefined;
  readonly http?: string | undefined;
  readonly tcp?: string | undefined;
  readonly period?: string | undefined;
  readonly timeout?: string | undefined;
  readonly failure_threshold?: number | undefined;
};

export function resolveReady(ready: 'started' | 'signal' | ProbeTable): ReadinessSpec {
  if (ready === 'started' || ready === 'signal') return { kind: ready };
  if (ready.log !== undefined) return { kind: 'log', pattern: new RegExp(ready.log) };
  return { kind: 'probe', probe: resolveProbe(ready) };
}

export function resolveProbe(table: ProbeTable): ProbeSpec {
  return {
    action: resolveAction(table),
    periodMs: ms(table.period ?? TASK_DEFAULTS.probe.period),
    timeoutMs: ms(table.timeout ?? TASK_DEFAULTS.probe.timeout),
    failureThreshold: table.failure_threshold ?? TASK_DEFAULTS.probe.failure_threshold,
  };
}

function resolveAction(table: ProbeTable): ProbeAction {
  if (table.exec !== undefined) {
    if (typeof table.exec !== 'string') return { kind: 'exec', command: [...table.exec] };
    const split = splitCommand(table.exec);
    if (!split.ok) throw new Error(`unreachable: schema accepted exec ${table.exec}`);
    return { kind: 'exec', command: split.value };
  }
  if (table.http !== undefined) return { kind: 'http', url: table.http };
  if (table.tcp !== undefined) {
    const target = parseHostPort(table.tcp);
    if (target === null) throw new Error(`unreachable: schema accepted tcp ${table.tcp}`);
    return { kind: 'tcp', ...target };
  }
  throw new Error('unreachable: schema accepted a probe without an action');
}

function ms(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unreachable: schema accepted ${text}`);
  return parsed.value;
}
