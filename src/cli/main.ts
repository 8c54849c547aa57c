#!/usr/bin/env -S node --max-semi-space-size=1
// The flag keeps V8's young generation at 1 MiB per semi-space instead of 16: the orchestrator
// churns short-lived per-message objects, and the default lets ~30 MB of garbage sit resident
// (50 idle pods: 79 -> 69 MB RSS; broadcast throughput unchanged, see README Performance).
// Node ignores a shebang when started as `node main.js`, so launch the file itself.
import { BusSettingsError, BusStartError } from '../app/bus-settings.js';
import { ConfigError } from '../config/errors.js';
import { ControlAddressError, ControlClientError, ControlSocketBlockedError, ControlSocketInUseError } from '../control/errors.js';
import { processStdio, type StdioGuard } from './stdio-guard.js';
import { didYouMean } from '../config/suggest.js';
import { EXIT, UsageError } from './usage-error.js';
import { packageVersion } from './version.js';

const help = `orchestrator: keep replicas of processes alive and let them talk over stdin/stdout.

Usage: orchestrator <command> [options]

Commands:
  run [tasks.toml]       start the tasks and supervise them until stopped
  validate [tasks.toml]  check a tasks.toml and summarise it
  schema                 print the JSON Schema of tasks.toml

Talking to a running instance (found from -f tasks.toml, ./tasks.toml or --socket):
  ps [TASK...] [-w]      one row per pod
  tasks                  one row per task: replicas, queue depth, dead letters
  scale TASK=N...        change replica counts
  restart TASK...        rolling restart
  apply                  reload tasks.toml and apply the difference
  publish TOPIC [DATA]   publish a message (DATA from stdin when omitted)
  request TOPIC [DATA]   publish and print the reply (--timeout 5s)
  latest TOPIC           print the retained latest message of TOPIC
  topics [PATTERN]       one row per topic: publishers, subscribers, latest message
  dead TASK              a task's dead letters (--retry ID|--all, --delete ID|--all)
  subscribe PATTERN...   print matching messages live
  logs [TASK|POD...]     buffered pod output (-f, --tail, --since, --previous)
  events [-f]            lifecycle events
  stop [--force]         graceful shutdown, like Ctrl-C
  kill POD [--force]     signal one pod; its controller replaces it
  ui [--print]           open the dashboard of an instance started with "run --ui"
  wait [--for ready|complete] [TASK...]  block until tasks are ready or jobs complete

Run "orchestrator help <command>" (or "orchestrator <command> --help") for a command's options;
"orchestrator -V" (--version) prints the version.
Docs: docs/tasks-toml.md, docs/protocol.md, docs/api.md, docs/architecture.md`;

interface Command {
  run: (argv: string[], stdio: StdioGuard) => number | Promise<number>;
  help: string;
}

// Each verb's module is imported when it runs: a long `run` never holds the config validator
// (zod) that `validate` and `schema` load, nor the client side of the other verbs.
const commands: Record<string, () => Promise<Command>> = {
  run: () => import('./commands/run.js').then((m) => ({ run: m.runCommand, help: m.runHelp })),
  validate: () => import('./commands/validate.js').then((m) => ({ run: m.validateCommand, help: m.validateHelp })),
  schema: () => import('./commands/schema.js').then((m) => ({ run: m.schemaCommand, help: m.schemaHelp })),
  ps: () => import('./commands/ps.js').then((m) => ({ run: m.psCommand, help: m.psHelp })),
  tasks: () => import('./commands/tasks.js').then((m) => ({ run: m.tasksCommand, help: m.tasksHelp })),
  scale: () => import('./commands/scale.js').then((m) => ({ run: m.scaleCommand, help: m.scaleHelp })),
  restart: () => import('./commands/restart.js').then((m) => ({ run: m.restartCommand, help: m.restartHelp })),
  apply: () => import('./commands/apply.js').then((m) => ({ run: m.applyCommand, help: m.applyHelp })),
  publish: () => import('./commands/publish.js').then((m) => ({ run: m.publishCommand, help: m.publishHelp })),
  request: () => import('./commands/request.js').then((m) => ({ run: m.requestCommand, help: m.requestHelp })),
  latest: () => import('./commands/latest.js').then((m) => ({ run: m.latestCommand, help: m.latestHelp })),
  topics: () => import('./commands/topics.js').then((m) => ({ run: m.topicsCommand, help: m.topicsHelp })),
  dead: () => import('./commands/dead.js').then((m) => ({ run: m.deadCommand, help: m.deadHelp })),
  subscribe: () => import('./commands/subscribe.js').then((m) => ({ run: m.subscribeCommand, help: m.subscribeHelp })),
  logs: () => import('./commands/logs.js').then((m) => ({ run: m.logsCommand, help: m.logsHelp })),
  events: () => import('./commands/events.js').then((m) => ({ run: m.eventsCommand, help: m.eventsHelp })),
  stop: () => import('./commands/stop.js').then((m) => ({ run: m.stopCommand, help: m.stopHelp })),
  kill: () => import('./commands/kill.js').then((m) => ({ run: m.killCommand, help: m.killHelp })),
  ui: () => import('./commands/ui.js').then((m) => ({ run: m.uiCommand, help: m.uiHelp })),
  wait: () => import('./commands/wait.js').then((m) => ({ run: m.waitCommand, help: m.waitHelp })),
};

/** The verb called `name`, or a usage error that suggests the closest one. */
function commandNamed(name: string): Promise<Command> {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command !== undefined) return command();
  const hint = didYouMean(name, Object.keys(commands));
  throw new UsageError(`unknown command "${name}"${hint === '' ? `; commands: ${Object.keys(commands).join(', ')}` : hint}`);
}

async function main(argv: string[], stdio: StdioGuard): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0) {
    const [verb, ...extra] = rest;
    if (extra.length > 0) throw new UsageError(`help: expected one command, got "${rest.join(' ')}"`);
    process.stdout.write(`${(await commandNamed(verb ?? '')).help}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  // -v too, as before -V existed.
  if (name === '--version' || name === '-V' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = await commandNamed(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest, stdio);
}

const stdio = processStdio();
// On every way out, an uncaught error included: Node's exit would abort on a hung-up terminal.
process.once('exit', () => stdio.releaseDeadTerminal());

/** The single exit point: every error becomes a message and an exit code here. */
main(process.argv.slice(2), stdio).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.format()}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof ControlSocketInUseError || error instanceof ControlSocketBlockedError || error instanceof ControlAddressError || error instanceof BusSettingsError || error instanceof BusStartError) {
      process.stderr.write(`orchestrator: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof ControlClientError) {
      process.stderr.write(`orchestrator: ${error.message}\n`);
      // A token file that is unreadable or for another address is the invocation's to fix, like a bad flag.
      const usage = error.status === null ? error.code.startsWith('CONTROL_TOKEN_') : error.status < 500;
      process.exitCode = usage ? EXIT.usage : EXIT.failed;
    } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      process.stderr.write(`orchestrator: ${(error as Error).message}\nRun "orchestrator --help" for usage.\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`orchestrator: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.failed;
    }
    process.exit(process.exitCode);
  },
);
