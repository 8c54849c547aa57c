import type { Orchestrator, RunOutcome } from '../app/orchestrator.js';
import { writeJUnitReport } from '../report/index.js';
import type { Logger } from '../util/logger.js';
import type { TerminalPrinter } from './printer.js';
import { EXIT, exitCodeForSignal } from './usage-error.js';

/** How `run` was ended from outside, if it was. */
export type Interruption = { readonly type: 'signal'; readonly signal: NodeJS.Signals } | { readonly type: 'timeout'; readonly after: string } | { readonly type: 'api' } | null;

/**
 * The end of a run: the summary table, the JUnit report when asked for, and the exit code, whose
 * reason is the last line printed. A run that was interrupted never exits 0.
 */
export async function finishRun(orchestrator: Orchestrator, outcome: RunOutcome, interruption: Interruption, options: { logger: Logger; printer: TerminalPrinter; report: string | null; failure?: string | null }): Promise<number> {
  const { logger, printer } = options;
  for (const line of orchestrator.summary().split('\n')) printer.system(line);
  if (options.report !== null) {
    try {
      await writeJUnitReport(options.report, orchestrator.junitReport(process.cwd()));
      logger.info(`JUnit report written to ${options.report}`);
    } catch (error) {
      logger.error({ err: error }, `could not write the JUnit report to ${options.report}`);
    }
  }
  switch (interruption?.type) {
    case 'signal':
      logger.info(`stopped by ${interruption.signal}`);
      return exitCodeForSignal(interruption.signal);
    case 'timeout':
      logger.error(`run timed out after ${interruption.after}`);
      return EXIT.timeout;
    case 'api':
      // `orchestrator stop` is Ctrl-C from another terminal: the run was interrupted, never a success.
      logger.info('stopped via the API');
      return exitCodeForSignal('SIGINT');
    case undefined:
      break;
  }
  const failure = outcome.type === 'completed' && outcome.failure !== null ? outcome.failure : (options.failure ?? null);
  if (failure !== null) {
    logger.error(`run failed: ${failure}`);
    return EXIT.failed;
  }
  logger.info('all jobs finished successfully');
  return EXIT.ok;
}
