import { parseArgs } from 'node:util';
import { Orchestrator, type RunOutcome } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import { createLogger, type LogFormat } from '../log-stream.js';
import { TerminalPrinter } from '../printer.js';
import { detectStyle } from '../terminal.js';
import { EXIT, exitCodeForSignal, UsageError } from '../usage-error.js';
import { configPathFrom } from './config-path.js';

export const runHelp = `Usage: orchestrator run [tasks.toml] [options]

Starts every task's replicas and keeps them running until Ctrl-C (a second Ctrl-C skips the
grace period). A run whose tasks all finish on their own ends by itself.

Options:
  -f, --file PATH        tasks.toml (default: ./tasks.toml)
      --log-level LEVEL  trace | debug | info | warn | error (default: info)
      --log-format FMT   pretty | json (default: pretty)
      --log-file PATH    also append the orchestrator's JSON log lines to PATH
      --color / --no-color            force colors on or off (default: on a TTY, unless NO_COLOR or CI)
      --timestamps / --no-timestamps  prefix lines with the time (default: when CI is set or not a TTY)

Exit codes: 0 all pods finished successfully, 1 a pod failed, 2 usage or config error,
128+N stopped by signal N (130 Ctrl-C, 143 SIGTERM).`;

const levels = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export async function runCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      file: { type: 'string', short: 'f' },
      'log-level': { type: 'string', default: 'info' },
      'log-format': { type: 'string', default: 'pretty' },
      'log-file': { type: 'string' },
      color: { type: 'boolean' },
      timestamps: { type: 'boolean' },
    },
  });
  const level = values['log-level'];
  if (!levels.has(level)) throw new UsageError(`--log-level: expected one of ${[...levels].join(', ')}, got "${level}"`);
  const format = values['log-format'];
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`--log-format: expected "pretty" or "json", got "${format}"`);

  const config = loadConfig(configPathFrom(values.file, positionals));
  const style = detectStyle(process.stdout, process.env, { color: values.color, timestamps: values.timestamps });
  const podNames = config.tasks.flatMap((t) => Array.from({ length: t.replicas }, (_, i) => `${t.name}-${i}`));
  const printer = new TerminalPrinter(process.stdout, style, podNames);
  const logger = createLogger({ level, format: format as LogFormat, file: values['log-file'] ?? null, printer });
  const orchestrator = new Orchestrator({ config, logger, output: printer });

  let signalled: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== null) {
      logger.warn(`${signal} again: killing every pod now`);
      void orchestrator.stop(signal, { force: true });
      return;
    }
    signalled = signal;
    logger.info(`${signal} received: stopping all pods (${signal === 'SIGINT' ? 'Ctrl-C again' : 'send it again'} to kill them now)`);
    void orchestrator.stop(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    orchestrator.start();
    const outcome = await orchestrator.done;
    return exitCodeFor(outcome, signalled, logger);
  } finally {
    for (const s of signals) process.off(s, onSignal);
    printer.flush();
  }
}

function exitCodeFor(outcome: RunOutcome, signal: NodeJS.Signals | null, logger: ReturnType<typeof createLogger>): number {
  if (signal !== null) {
    logger.info(`stopped by ${signal}`);
    return exitCodeForSignal(signal);
  }
  if (outcome.type === 'completed' && outcome.failed.length > 0) {
    logger.error(`run failed: ${outcome.failed.join(', ')} did not succeed`);
    return EXIT.failed;
  }
  logger.info('all pods finished successfully');
  return EXIT.ok;
}
