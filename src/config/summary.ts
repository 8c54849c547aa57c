import { formatDuration } from '../util/duration.js';
import { podTextSource } from './pod-template.js';
import type { OrchestratorConfig, PodText, TaskSpec } from './types.js';
import * as path from 'node:path';

/**
 * One aligned line per task, for `orchestrator validate`:
 * `worker  3 replicas  restart=always  round_robin on jobs, images.>  python3 examples/worker.py`
 * Only what differs from the usual is added (cwd, env_file, hidden output), to keep lines short.
 */
export function formatSummary(config: OrchestratorConfig): string {
  const rows = config.tasks.map((task) => [
    task.name,
    task.autoscale === null ? `${task.replicas} ${task.replicas === 1 ? 'replica' : 'replicas'}` : `autoscale ${task.autoscale.min}-${task.autoscale.max}`,
    `restart=${task.restart}`,
    task.subscribe.length === 0 ? 'no subscriptions' : `${task.mode} on ${task.subscribe.join(', ')}`,
    describeCommand(task) + extras(task, config.dir, config.taskFiles[task.name] ?? config.file, config.file),
  ]);
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)), []);
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}

/** Per-pod variables are shown as written, `${ORCHESTRATOR_REPLICA}`. */
function describeCommand(task: TaskSpec): string {
  if (task.shell) return `sh -c ${quote(podTextSource(task.command[2] ?? ''))}`;
  return task.command.map(describeArg).join(' ');
}

function describeArg(arg: PodText): string {
  if (typeof arg !== 'string') return arg.parts.map((part) => (typeof part === 'string' ? describeArg(part) : podTextSource({ parts: [part] }))).join('');
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : quote(arg);
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function extras(task: TaskSpec, dir: string, from: string, root: string): string {
  const notes: string[] = [];
  // Included files: which one defines the task (paths relative to tasks.toml's directory).
  if (from !== root) notes.push(`from ${path.relative(dir, from)}`);
  const cwd = podTextSource(task.cwd);
  if (cwd !== dir) notes.push(`cwd=${path.relative(dir, cwd) || '.'}`);
  if (task.envFile !== null) notes.push(`env_file=${path.relative(dir, task.envFile)}`);
  if (!task.showStdout) notes.push('stdout hidden');
  if (!task.showStderr) notes.push('stderr hidden');
  if (task.ackTimeoutMs !== null) notes.push(`ack_timeout=${formatDuration(task.ackTimeoutMs)}`);
  if (task.stallTimeoutMs !== null) notes.push(`stall_timeout=${formatDuration(task.stallTimeoutMs)}`);
  const dependencies = Object.entries(task.dependsOn);
  if (dependencies.length > 0) notes.push(`after ${dependencies.map(([name, condition]) => `${name} ${condition}`).join(', ')}`);
  if (task.ready.kind !== 'started') notes.push(`ready=${task.ready.kind === 'probe' ? task.ready.probe.action.kind : task.ready.kind}`);
  if (task.alive !== null) notes.push(`alive=${task.alive.action.kind}`);
  return notes.length === 0 ? '' : `  (${notes.join(', ')})`;
}
