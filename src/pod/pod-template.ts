import type { PodText, PodVariable, ProbeAction, ProbeActionSpec, ProbeSpec, ReadinessSpec, TaskSpec } from '../config/types.js';
import type { PodIdentity } from './pod-env.js';

/** The per-pod variables of one process start: the same values the pod gets in its environment. */
export function podValues(id: PodIdentity): Readonly<Record<PodVariable, string>> {
  return { ORCHESTRATOR_TASK: id.task, ORCHESTRATOR_POD: id.name, ORCHESTRATOR_REPLICA: String(id.index), ORCHESTRATOR_POD_ID: id.podId };
}

/** Fills in a configured string for one pod; a plain string is returned as is. */
export function renderPodText(text: PodText, values: Readonly<Record<PodVariable, string>>): string {
  if (typeof text === 'string') return text;
  let out = '';
  for (const part of text.parts) out += typeof part === 'string' ? part : values[part.variable];
  return out;
}

/** What one process start of a pod runs, and where. */
export function podCommand(spec: Pick<TaskSpec, 'command' | 'cwd'>, id: PodIdentity): { readonly command: readonly string[]; readonly cwd: string } {
  const values = podValues(id);
  return { command: spec.command.map((arg) => renderPodText(arg, values)), cwd: renderPodText(spec.cwd, values) };
}

/** The task's probes with the pod's values filled in. */
export function podProbes(spec: Pick<TaskSpec, 'ready' | 'alive'>, id: PodIdentity): { readonly ready: ReadinessSpec<ProbeAction>; readonly alive: ProbeSpec<ProbeAction> | null } {
  const values = podValues(id);
  const probe = (p: ProbeSpec): ProbeSpec<ProbeAction> => ({ ...p, action: renderAction(p.action, values) });
  const ready = spec.ready.kind === 'probe' ? { kind: 'probe' as const, probe: probe(spec.ready.probe) } : spec.ready;
  return { ready, alive: spec.alive === null ? null : probe(spec.alive) };
}

function renderAction(action: ProbeActionSpec, values: Readonly<Record<PodVariable, string>>): ProbeAction {
  switch (action.kind) {
    case 'exec':
      return { kind: 'exec', command: action.command.map((arg) => renderPodText(arg, values)) };
    case 'http':
      return { kind: 'http', url: renderPodText(action.url, values) };
    case 'tcp':
      // A port out of range makes every check fail with the socket's own message.
      return { kind: 'tcp', host: renderPodText(action.host, values), port: typeof action.port === 'number' ? action.port : Number(renderPodText(action.port, values)) };
  }
}
