import { parseArgs } from 'node:util';
import { parseDuration } from '../../util/duration.js';
import { ControlClientError } from '../../control/errors.js';
import type { TaskInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions } from '../control-args.js';
import { EXIT, UsageError } from '../usage-error.js';
import { waitVerdict, type WaitCondition } from '../wait-condition.js';

export const waitHelp = `Usage: orchestrator wait [--for ready|complete] [TASK...] [--timeout 60s]

Blocks until every named task (default: all) is ready (every desired replica ready; a completed
job counts) or complete (jobs finished successfully), then exits 0. Exits 1 on timeout or when the
condition can no longer hold (a job failed or was skipped). Keeps trying while no instance answers
yet, for scripts that start "orchestrator run" in the background.
  --for CONDITION   ready (default) | complete
  --timeout D       give up after D (default 60s)
${controlHelp}`;

const POLL_MS = 100;

export async function waitCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...controlOptions, for: { type: 'string', default: 'ready' }, timeout: { type: 'string', default: '60s' } },
  });
  const condition = values.for;
  if (condition !== 'ready' && condition !== 'complete') throw new UsageError(`--for: expected "ready" or "complete", got "${condition}"`);
  const timeout = parseDuration(values.timeout);
  if (!timeout.ok) throw new UsageError(`--timeout: ${timeout.error}`);
  const client = clientFrom(values);
  const deadline = Date.now() + timeout.value;
  let last = 'no orchestrator answered yet';
  for (;;) {
    try {
      const { tasks } = await client.call<{ tasks: TaskInfo[] }>('GET', '/v1/tasks');
      const verdict = waitVerdict(tasks, positionals, condition as WaitCondition);
      if (verdict.type === 'met') {
        process.stdout.write(`${verdict.message}\n`);
        return EXIT.ok;
      }
      if (verdict.type === 'never') {
        process.stderr.write(`orchestrator wait: ${verdict.message}\n`);
        return EXIT.failed;
      }
      last = verdict.message;
    } catch (error) {
      if (!(error instanceof ControlClientError) || error.code !== 'CONTROL_UNREACHABLE') throw error;
      last = error.message;
    }
    if (Date.now() >= deadline) {
      process.stderr.write(`orchestrator wait: timed out after ${values.timeout}: ${last}\n`);
      return EXIT.failed;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
