import { TASK_DEFAULTS } from './defaults.js';
import { parseDuration } from '../util/duration.js';
import { hasPodVariables, toPodText } from './pod-template.js';
import { parseHostPort } from './probe-schema.js';
import { splitCommand } from './split-command.js';
import type { PodTemplate, ProbeActionSpec, ProbeSpec, ReadinessSpec } from './types.js';

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

function resolveAction(table: ProbeTable): ProbeActionSpec {
  if (table.exec !== undefined) {
    if (typeof table.exec !== 'string') return { kind: 'exec', command: table.exec.map(toPodText) };
    const split = splitCommand(table.exec);
    if (!split.ok) throw new Error(`unreachable: schema accepted exec ${table.exec}`);
    return { kind: 'exec', command: split.value.map(toPodText) };
  }
  if (table.http !== undefined) return { kind: 'http', url: toPodText(table.http) };
  if (table.tcp !== undefined && hasPodVariables(table.tcp)) {
    // The schema checked replica 0's value; the port of a later replica is checked when probed.
    const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):([^:[\]\s]+)$/.exec(table.tcp);
    if (match === null) throw new Error(`unreachable: schema accepted tcp ${table.tcp}`);
    const port = toPodText(match[3] ?? '');
    return { kind: 'tcp', host: toPodText(match[1] ?? match[2] ?? ''), port: typeof port === 'string' ? Number(port) : (port satisfies PodTemplate) };
  }
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
