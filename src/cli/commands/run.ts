import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { BusStartError, describeBus, explicitMaxMessageSize, resolveBusSettings } from '../../app/bus-settings.js';
import { Orchestrator } from '../../app/orchestrator.js';
import { createTransport } from '../../bus/create-transport.js';
import { loadConfigIsolated } from '../../config/load-isolated.js';
import { isJob } from '../../jobs/index.js';
import type { OrchestratorConfig } from '../../config/types.js';
import { systemClock } from '../../util/clock.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { orchestratorTarget } from '../../control/orchestrator-target.js';
import { ControlServer } from '../../control/server.js';
import { UsageSampler } from '../../pod/usage-sampler.js';
import { dirname } from 'node:path';
import { controlSocketPath } from '../../control/socket-path.js';
import { formatHostPort } from '../../control/token-file.js';
import { createRunLogger, type LogFormat } from '../log-stream.js';
import type { LogLevel } from '../../util/logger.js';
import { TerminalPrinter } from '../printer.js';
import { detectStyle } from '../terminal.js';
import { finishRun, type Interruption } from '../run-end.js';
import { describeLost, lostSignal, type OutputLost, type StdioGuard } from '../stdio-guard.js';
import { liveColors } from '../task-colors.js';
import { EXIT, UsageError } from '../usage-error.js';
import { maxLineBytes, pipelineFailure, pipelineOptions, startPipeline } from '../pipeline/flags.js';
import type { Pipeline, PipelineResult } from '../pipeline/pipeline.js';
import { announceDashboard, dashboardRoutes, removeDashboardLauncher } from '../run-dashboard.js';
import { listenerAddress, takeUiFlag } from '../ui-flags.js';
import { configPathFrom } from './config-path.js';

export const runHelp = `Usage: orchestrator run [tasks.toml] [options]

Starts every task's replicas (in dependency order) and keeps them running until Ctrl-C (a second
Ctrl-C skips the grace period). A run made only of jobs ends when they are done; a summary table
ends every run.

Options:
  -f, --file PATH        tasks.toml (default: ./tasks.toml)
      --log-level LEVEL  trace | debug | info | warn | error (default: info)
      --log-format FMT   pretty | json (default: pretty)
      --log-file PATH    also append the orchestrator's JSON log lines to PATH (created 0600;
                         an existing file readable by others is tightened to 0600, with a warning)
      --color / --no-color            force colors on or off (default: on a TTY, unless NO_COLOR or CI)
      --timestamps / --no-timestamps  prefix lines with the time (default: when CI is set or not a TTY)
      --watch            reload tasks.toml (and its env files) when they change, like "orchestrator apply"
      --exit-on-complete end the run (stopping the services) once every job has finished and no
                         message is queued or in flight; exit 0 if every job succeeded, else 1
      --timeout DURATION stop a run that takes longer (e.g. 10m) and exit 124
      --report PATH      write a JUnit XML report (one test case per job replica) to PATH
      --stdin-topic T --stdout-topic R [--keep-order]
                         pipeline mode: each stdin line is published on T, the data of each
                         result on R is written to stdout (one per line; logs and pod output go
                         to stderr); R = T.result correlates each result with its line, and
                         --keep-order writes them in input order. With --exit-on-complete the
                         run ends once stdin ended and every line is done: exit 0, or 1 if a line
                         was dead-lettered. Ctrl-C stops reading and finishes what was read (130).
                         See docs/pipeline.md
      --api HOST:PORT    also serve the control API on TCP (bearer token from ORCHESTRATOR_TOKEN,
                         or generated into .orchestrator/api-token, mode 0600, never logged);
                         loopback only unless --api-allow-remote
      --bus URL|memory   share the bus through this NATS server (nats:// or tls://, several
                         separated by ","), overriding [bus] url; "memory": the in-process bus
                         even with a [bus] table (see docs/nats.md)
      --bus-project NAME the [bus] project (required with a NATS bus)
      --instance NAME    this orchestrator among the project's instances (default: host name)
      --ui [HOST:PORT]   serve the web dashboard on the API's listener (--ui alone: --api
                         127.0.0.1:0, any free port); prints its URL (with the token only on a
                         terminal; "orchestrator ui" opens it later)
      --open             with --ui, open the dashboard in a browser (only on a terminal, not with CI)

The control API listens on <dir of tasks.toml>/.orchestrator/control.sock (mode 0600; see
docs/api.md); pods find it in ORCHESTRATOR_SOCKET. SIGHUP reloads tasks.toml (see "apply").

Pod output is shown with control characters and escape sequences escaped (\\e, \\r, \\xNN); a task
with colors = true keeps its colours on a colour terminal. If the terminal hangs up (window closed,
SSH dropped) or stdout is a pipe whose reader exits, the run stops like Ctrl-C: every pod gets its
grace period, the log goes on to --log-file, exit 129 (141 for the pipe). To keep it running
without a terminal, start it with stdio off the terminal (nohup, a service manager, or redirects).

Exit codes: 0 every job succeeded; 1 a job failed or was
skipped (the last line names the first failure); 2 usage or config error, or another instance
already runs for this tasks.toml; 124 --timeout reached; 128+N stopped by signal N (130 Ctrl-C,
143 SIGTERM; 130 as well for "orchestrator stop"; 129 terminal hung up, 141 stdout pipe closed).`;

const levels = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export async function runCommand(argv: string[], stdio: StdioGuard): Promise<number> {
  const ui = takeUiFlag(argv);
  const { positionals, values } = parseArgs({
    args: ui.argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      file: { type: 'string', short: 'f' },
      'log-level': { type: 'string', default: 'info' },
      'log-format': { type: 'string', default: 'pretty' },
      'log-file': { type: 'string' },
      color: { type: 'boolean' },
      timestamps: { type: 'boolean' },
      watch: { type: 'boolean' },
      api: { type: 'string' },
      'api-allow-remote': { type: 'boolean' },
      open: { type: 'boolean' },
      'exit-on-complete': { type: 'boolean' },
      timeout: { type: 'string' },
      report: { type: 'string' },
      'stdin-topic': { type: 'string' },
      'stdout-topic': { type: 'string' },
      'keep-order': { type: 'boolean' },
      bus: { type: 'string' },
      'bus-project': { type: 'string' },
      instance: { type: 'string' },
    },
  });
  const pipe = pipelineOptions(values);
  const timeoutMs = values.timeout === undefined ? null : parseTimeout(values.timeout);
  const level = values['log-level'];
  if (!levels.has(level)) throw new UsageError(`--log-level: expected one of ${[...levels].join(', ')}, got "${level}"`);
  const format = values['log-format'];
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`--log-format: expected "pretty" or "json", got "${format}"`);

  const config = await loadConfigIsolated(configPathFrom(values.file, positionals));
  // Credentials come from the environment only (NATS_TOKEN, NATS_USER/NATS_PASSWORD, NATS_CREDS).
  const busSettings = resolveBusSettings(config.bus, { bus: values.bus, busProject: values['bus-project'], instance: values.instance }, process.env, hostname());
  if (values.open === true && ui.ui === null) throw new UsageError('--open needs --ui');
  const tcp = listenerAddress(values.api, ui.ui, values['api-allow-remote'] === true);
  // Pipeline mode keeps stdout for results: the log and pod output go to stderr.
  const out = pipe === null ? stdio.stdout : stdio.stderr;
  const style = detectStyle(pipe === null ? process.stdout : process.stderr, process.env, { color: values.color, timestamps: values.timestamps });
  const podNames = config.tasks.flatMap((t) => Array.from({ length: t.replicas }, (_, i) => `${t.name}-${i}`));
  const printer = new TerminalPrinter(out, style, podNames, Date.now, liveColors((): OrchestratorConfig => orchestrator.currentConfig));
  const logger = createRunLogger({ level: level as LogLevel | 'silent', format: format as LogFormat, file: values['log-file'] ?? null, printer, stdout: out });
  for (const warning of config.warnings) logger.warn(warning);
  const socket = controlSocketPath(config.dir, process.env, process.getuid?.() ?? 0);
  // In-process, or NATS (its client is loaded only then): it connects here, checks a set
  // max_message_size against the server's max_payload and the tasks' messaging keys against the project's.
  const maxMessageSize = explicitMaxMessageSize(config.tasks);
  const transportDeps = { clock: systemClock, logger, tasks: config.tasks, ...(maxMessageSize === undefined ? {} : { maxMessageSize }) };
  const transport = await createTransport(busSettings, transportDeps).catch((error: unknown) => {
    throw busSettings === null ? error : new BusStartError(busSettings, error);
  });
  const extraEnv = { ORCHESTRATOR_SOCKET: socket.path, ...(busSettings === null ? {} : { ORCHESTRATOR_INSTANCE: busSettings.instance }) };
  // A plain copy, read once: each read of process.env makes new strings, which every pod's
  // environment would hold a copy of.
  const env = { ...process.env };
  const orchestrator = new Orchestrator({ config, logger, output: printer, env, loadConfig: loadConfigIsolated, transport, extraEnv, instance: busSettings?.instance ?? null, exitOnComplete: pipe === null && values['exit-on-complete'] === true });
  orchestrator.events.follow((event) => {
    if (event.type === 'pod-started') printer.fit(event.pod);
  });
  const usage = new UsageSampler();
  const run = { view: orchestrator.view, operations: orchestrator.operations, bus: orchestrator.bus, logs: orchestrator.logs, events: orchestrator.events, done: orchestrator.done, accounting: orchestrator.accounting, usage, rss: () => process.memoryUsage.rss() };
  let uiUrl: string | null = null;

  let interruption: Interruption = null;
  const envToken = process.env.ORCHESTRATOR_TOKEN !== undefined && process.env.ORCHESTRATOR_TOKEN !== '' ? process.env.ORCHESTRATOR_TOKEN : null;
  // A generated token never reaches the log or the terminal: it goes to a 0600 file the CLI reads.
  const token = envToken ?? randomBytes(24).toString('base64url');
  const server = new ControlServer({
    target: orchestratorTarget(run, {
      pid: process.pid,
      startedAt: Date.now(),
      bus: busSettings === null ? { kind: 'memory' } : { kind: 'nats', project: busSettings.project, instance: busSettings.instance, servers: busSettings.displayServers },
      config: () => orchestrator.currentConfig.file,
      stopping: () => orchestrator.isStopping,
      onStop: (force) => {
        if (!orchestrator.isStopping) logger.info(`stop requested via the API: stopping all pods${force ? ' now' : ''}`);
        interruption ??= { type: 'api' };
        void orchestrator.stop('api', { force });
      },
      ui: () => (uiUrl === null ? null : { url: uiUrl, token: envToken === null ? token : null }),
    }),
    extraRoutes: await dashboardRoutes(ui.ui !== null),
    socketPath: socket.path,
    ...(tcp === undefined ? {} : { tcp: { ...tcp, token, allowRemote: values['api-allow-remote'] === true, ...(envToken === null ? { tokenFile: socket.tokenPath } : {}) } }),
    staleTokenFile: socket.tokenPath,
    logger,
  });
  // Before any pod starts: a live instance for this tasks.toml means we must not start at all.
  try {
    await server.start();
  } catch (error) {
    // Another run owns this tasks.toml: give back the instance name this one claimed on the bus.
    await transport.close();
    throw error;
  }
  if (socket.fallback) logger.info(`control socket path next to tasks.toml is too long for a Unix socket; using ${socket.path}`);
  logger.debug(`control API on ${socket.path}`);
  const address = server.tcpAddress;
  if (address !== null) logger.info(`control API on http://${formatHostPort(address)} (${envToken === null ? `token in ${socket.tokenPath}` : 'token from ORCHESTRATOR_TOKEN'})`);
  if (ui.ui !== null && address !== null) {
    uiUrl = await announceDashboard({ address, envToken, token, open: values.open === true, launcherDir: dirname(socket.path), printer, logger });
  }

  // Loaded only for --watch: chokidar stays out of a run that watches nothing.
  const watcher = values.watch === true ? new (await import('../../reload/config-watch.js')).ConfigWatcher(orchestrator.configFiles(), (files) => reload(`${files.map((f) => f.split('/').pop()).join(', ')} changed`)) : null;
  const reload = (trigger: string): void => {
    void orchestrator.reload(trigger).then((result) => {
      if (result.ok) watcher?.setFiles(orchestrator.configFiles());
    });
  };
  // A terminal that hangs up (or a closed stdout pipe) ends the run like a signal: a graceful stop,
  // each pod with its grace period, exit 129 (141 for a pipe); the log file keeps the record.
  const onOutputLost = (lost: OutputLost): void => {
    if (interruption !== null || orchestrator.isStopping) {
      logger.warn(`${describeLost(lost)}; no more terminal output`);
      return;
    }
    const signal = lostSignal(lost);
    interruption = { type: 'signal', signal };
    logger.warn(`${describeLost(lost)}: stopping all pods, each with its grace period`);
    void orchestrator.stop(signal);
  };
  // Pipeline mode's module is loaded only for a pipeline run.
  const pipeline: Pipeline | null = pipe === null ? null : new (await import('../pipeline/pipeline.js')).Pipeline({ ...pipe, maxLineBytes: maxLineBytes(config) }, { bus: orchestrator.bus, input: process.stdin, output: process.stdout, logger });
  let pipelineResult: PipelineResult | null = null;
  let noResponders = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGHUP') {
      // From a terminal that went away (never a reload then, and never an escalation), or kill -HUP.
      if (stdio.lost !== null || stdio.checkHangup()) return;
      reload('SIGHUP');
      return;
    }
    if (interruption?.type === 'signal') {
      logger.warn(`${signal} again: killing every pod now`);
      void orchestrator.stop(signal, { force: true });
      return;
    }
    interruption = { type: 'signal', signal };
    if (pipeline !== null && !orchestrator.isStopping) {
      // What was read is finished first, so nothing read is lost; the pods stop after.
      pipeline.interrupt();
      return;
    }
    logger.info(`${signal} received: stopping all pods (${signal === 'SIGINT' ? 'Ctrl-C again' : 'send it again'} to kill them now)`);
    void orchestrator.stop(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    if (watcher !== null) {
      await watcher.ready;
      logger.info(`watching ${orchestrator.configFiles().join(', ')} for changes`);
    }
    if (pipe === null && values['exit-on-complete'] === true && !config.tasks.some(isJob)) {
      logger.warn('--exit-on-complete: tasks.toml has no jobs (restart = "never" or "on-failure"), so the run ends only when stopped or on --timeout');
    }
    if (busSettings !== null) logger.info(describeBus(busSettings));
    try {
      await orchestrator.start();
    } catch (error) {
      // Nothing was started: exit 2 naming the server, redacted.
      throw busSettings === null ? error : new BusStartError(busSettings, error);
    }
    // Only now: a stop requested before start() would be undone by it (a loss so far is reported at once).
    stdio.onLost(onOutputLost);
    if (pipeline !== null && pipe !== null) {
      startPipeline(pipeline, pipe.stdinTopic, {
        orchestrator,
        logger,
        exitOnComplete: values['exit-on-complete'] === true,
        interruption: () => interruption,
        onNoResponders: () => (noResponders = true),
        onFinished: (result) => (pipelineResult = result),
      });
    }
    const timer =
      timeoutMs === null
        ? null
        : setTimeout(() => {
            if (orchestrator.isStopping) return;
            interruption = { type: 'timeout', after: formatDuration(timeoutMs) };
            logger.error(`--timeout ${formatDuration(timeoutMs)} reached: stopping all pods`);
            void orchestrator.stop('timeout');
          }, timeoutMs);
    const outcome = await orchestrator.done;
    if (timer !== null) clearTimeout(timer);
    pipeline?.close();
    const code = await finishRun(orchestrator, outcome, interruption, { logger, printer, report: values.report ?? null, failure: pipelineFailure(pipelineResult) });
    return noResponders ? EXIT.usage : code;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    await watcher?.close();
    await server.close();
    if (values.open === true) await removeDashboardLauncher(dirname(socket.path));
    printer.flush();
  }
}

function parseTimeout(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`--timeout: ${parsed.error}`);
  if (parsed.value <= 0) throw new UsageError(`--timeout: expected a duration above zero such as "10m", got "${text}"`);
  return parsed.value;
}

