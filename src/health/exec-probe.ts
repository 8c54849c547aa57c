import { spawn, type ChildProcess } from 'node:child_process';
import { errorReason, withDeadline } from './deadline.js';
import type { ProbeResult, ProbeRunOptions } from './types.js';

/** Only the last line of a probe's output is reported; this much of its tail is kept. */
const KEPT_OUTPUT = 4096;

/**
 * Runs `command` (argv) in its own process group; exit 0 passes. On timeout or abort the whole
 * group gets SIGKILL, so a probe that started children (`sh -c "curl …"`) leaves nothing behind.
 * The group is also killed after a normal exit, for children that outlive their parent.
 *
 * child_process.spawn, not execa: with the fd table full, spawn returns a child without stdio and
 * emits 'error' a tick later, which execa neither returns nor catches (the orchestrator would
 * crash); here it is this check's failure.
 */
export function execProbe(command: readonly string[], options: ProbeRunOptions): Promise<ProbeResult> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.resolve({ ok: false, reason: 'empty command' });
  return withDeadline(options.timeoutMs, options.signal, (signal) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      return Promise.resolve(cannotRun(file, error));
    }
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    signal.addEventListener('abort', killGroup, { once: true });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new Promise<ProbeResult>((resolve) => {
      const settle = (result: ProbeResult): void => {
        signal.removeEventListener('abort', killGroup);
        killGroup();
        resolve(result);
      };
      child.once('error', (error) => settle(cannotRun(file, error)));
      // 'close': the exit and all output, so the last line is complete.
      child.once('close', (code: number | null, exitSignal: NodeJS.Signals | null) => {
        if (code === 0) return settle({ ok: true });
        const how = exitSignal !== null ? `killed by ${exitSignal}` : `exited with code ${code ?? 'unknown'}`;
        const last = lastLine(tail);
        settle({ ok: false, reason: last === '' ? how : `${how}: ${last}` });
      });
    });
  });
}

function cannotRun(file: string, error: unknown): ProbeResult {
  return { ok: false, reason: `cannot run ${JSON.stringify(file)}: ${errorReason(error)}` };
}

function lastLine(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}
