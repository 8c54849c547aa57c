import { parseArgs } from 'node:util';
import { parseDuration } from '../../util/duration.js';
import type { LogLine, TaskInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { lostSignal, type StdioGuard } from '../stdio-guard.js';
import { clockTime, detectStyle } from '../terminal.js';
import { EXIT, exitCodeForSignal, UsageError } from '../usage-error.js';

export const logsHelp = `Usage: orchestrator logs [TASK|POD...] [-f] [--tail N] [--since 5m] [--timestamps] [--previous] [-o json]

Output lines kept in memory per pod (the task's log_buffer, default 1000 lines per run), every
pod's lines interleaved in the order they were read, prefixed like the live output
("worker-1 | line", "!" for stderr). Lines of tasks with show_stdout = false are kept too.
Control characters and escape sequences are shown escaped (\\e, \\r, \\xNN); a task's colours are
kept on a colour terminal when it has colors = true. -o json escapes them as JSON does.
  -f, --follow       keep printing new lines until Ctrl-C (-o json: one JSON object per line)
      --tail N       only the last N lines of each pod
      --since DUR    only lines from the last DUR (30s, 5m, 1h)
      --timestamps   prefix each line with the time it was read
  -p, --previous     the previous run of each pod (what a restarted pod printed before it died)
${controlHelp}`;

export async function logsCommand(argv: string[], stdio: StdioGuard): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions,
    follow: { type: 'boolean', short: 'f' },
    tail: { type: 'string' },
    since: { type: 'string' },
    timestamps: { type: 'boolean' },
    previous: { type: 'boolean', short: 'p' },
  } });
  const format = outputFormat(values.output);
  const params = new URLSearchParams();
  for (const target of positionals) params.append('target', target);
  if (values.tail !== undefined) {
    if (!/^\d+$/.test(values.tail)) throw new UsageError(`--tail: expected a whole number, got "${values.tail}"`);
    params.set('tail', values.tail);
  }
  if (values.since !== undefined) {
    if (!parseDuration(values.since).ok) throw new UsageError(`--since: expected a duration such as 30s, 5m or 1h, got "${values.since}"`);
    params.set('since', values.since);
  }
  if (values.previous === true) params.set('previous', 'true');
  const client = clientFrom(values);
  const out = stdio.stdout;
  // Which tasks may keep their colours: asked only when this output shows colours at all.
  const colorTerminal = format === 'table' && detectStyle(process.stdout, process.env, {}).color;
  const colored = new Map<string, boolean>();
  const learnColors = async (): Promise<void> => {
    const { tasks } = await client.call<{ tasks: TaskInfo[] }>('GET', '/v1/tasks');
    for (const t of tasks) colored.set(t.name, t.colors === true);
  };
  if (colorTerminal) await learnColors();
  const lines: LogLine[] = [];
  const width = (): number => Math.max(0, ...lines.map((l) => l.pod.length));
  const print = (line: LogLine, pad: number): void => {
    if (format === 'json') return out.write(`${jsonLine(line)}\n`);
    const stamp = values.timestamps === true ? `${new Date(line.at).toISOString().slice(0, 10)} ${clockTime(line.at)} ` : '';
    const text = safeText(line.line, { sgr: colorTerminal && colored.get(line.task) === true });
    out.write(`${stamp}${safeText(line.pod).padEnd(pad)} ${line.stream === 'stderr' ? '!' : '|'} ${text}\n`);
  };
  if (values.follow !== true) {
    const result = await client.call<{ lines: LogLine[] }>('GET', `/v1/logs?${params}`);
    if (format === 'json') {
      out.write(`${jsonLine(result)}\n`);
      return EXIT.ok;
    }
    lines.push(...result.lines);
    const pad = width();
    for (const line of lines) print(line, pad);
    return EXIT.ok;
  }
  params.set('follow', 'true');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  stdio.onLost(() => abort.abort());
  let pad = 0;
  let pending = Promise.resolve();
  await client.stream('GET', `/v1/logs?${params}`, (item) => {
    const line = item as LogLine;
    pad = Math.max(pad, line.pod.length);
    // A task added by a reload since: learn its colors setting first (lines keep their order).
    if (colorTerminal && !colored.has(line.task)) {
      colored.set(line.task, false);
      pending = pending.then(learnColors).catch(() => {});
    }
    void pending.then(() => print(line, pad));
  }, { signal: abort.signal });
  await pending;
  return stdio.lost === null ? EXIT.ok : exitCodeForSignal(lostSignal(stdio.lost));
}
