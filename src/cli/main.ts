#!/usr/bin/env node
import { ConfigError } from '../config/index.js';
import { runCommand, runHelp } from './commands/run.js';
import { validateCommand, validateHelp } from './commands/validate.js';
import { EXIT, UsageError } from './usage-error.js';

const help = `orchestrator: keep replicas of processes alive and let them talk over stdin/stdout.

Usage: orchestrator <command> [options]

Commands:
  run [tasks.toml]       start the tasks and supervise them until stopped
  validate [tasks.toml]  check a tasks.toml and summarise it

Run "orchestrator <command> --help" for a command's options.
Docs: docs/tasks-toml.md, docs/protocol.md, docs/architecture.md`;

const commands: Record<string, { run: (argv: string[]) => number | Promise<number>; help: string }> = {
  run: { run: runCommand, help: runHelp },
  validate: { run: validateCommand, help: validateHelp },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('0.1.0\n');
    return EXIT.ok;
  }
  const command = commands[name];
  if (command === undefined) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest);
}

/** The single exit point: every error becomes a message and an exit code here. */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.format()}\n`);
      process.exitCode = EXIT.usage;
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
