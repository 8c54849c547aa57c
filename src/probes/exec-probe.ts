import { execa } from 'execa';
import { errorReason, withDeadline } from './deadline.js';
import type { ProbeResult, ProbeRunOptions } from './types.js';

/** execa kills a command that prints more than this; no health check should come close. */
const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs `command` (argv) in its own process group; exit 0 passes. On timeout or abort the whole
 * group gets SIGKILL, so a probe that started children (`sh -c "curl …"`) leaves nothing behind.
 * The group is also killed after a normal exit, for children that outlive their parent.
 */
export function execProbe(command: readonly string[], options: ProbeRunOptions): Promise<ProbeResult> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.resolve({ ok: false, reason: 'empty command' });
  return withDeadline(options.timeoutMs, options.signal, async (signal) => {
    const child = execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: true,
      detached: true,
      stdin: 'ignore',
      all: true,
      reject: false,
      maxBuffer: MAX_OUTPUT,
      stripFinalNewline: true,
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    signal.addEventListener('abort', killGroup, { once: true });
    try {
      const result = await child;
      killGroup();
      if (result.failed && result.exitCode === undefined && result.signal === undefined) {
        return { ok: false, reason: `cannot run ${JSON.stringify(file)}: ${errorReason(result.cause ?? result.shortMessage)}` };
      }
      if (result.exitCode === 0) return { ok: true };
      const how = result.signal !== undefined ? `killed by ${result.signal}` : `exited with code ${result.exitCode ?? 'unknown'}`;
      const last = lastLine(typeof result.all === 'string' ? result.all : '');
      return { ok: false, reason: last === '' ? how : `${how}: ${last}` };
    } finally {
      signal.removeEventListener('abort', killGroup);
    }
  });
}

function lastLine(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}
