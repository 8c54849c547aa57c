import { parseArgs } from 'node:util';
import type { DeadLetterInfo } from '../../control/api-types.js';
import { ControlClientError } from '../../control/errors.js';
import { KEPT_DEAD_LETTERS } from '../../observe/dead-letters.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { formatAge, formatFittedTable, outputColumns } from '../table.js';
import { EXIT, UsageError } from '../usage-error.js';

export const deadHelp = `Usage: orchestrator dead TASK [-o json]
       orchestrator dead TASK --retry ID | --retry --all
       orchestrator dead TASK --delete ID | --delete --all

Lists the dead letters TASK keeps (the last ${KEPT_DEAD_LETTERS}, oldest first): ID TOPIC ATTEMPTS REASON AGE DATA
(ATTEMPTS = deliveries made, 0 when the data could not be written in the task's stdin format;
DATA cut to the terminal width, control characters shown as escapes; -o json has it whole).
  --retry     queue the letter ID (every listed one with --all) again for TASK alone, as a new
              message on its topic, and remove it from the list; prints "retried ID" per letter
  --delete    remove the letter ID (every one with --all) without retrying; prints how many
  --all       with --retry or --delete: every listed letter (a bare --retry or --delete is refused,
              so an empty $ID never acts on them all)
-o json prints the API's answer: {task, dead, evicted}, {retried: [ID…]} or {removed: N}.

Exit codes: 0 done; 1 TASK has no dead letter ID (or the bus refused its retry: it stays listed);
2 usage error, or no task TASK.
${controlHelp}`;

export interface DeadAnswer {
  readonly task: string;
  readonly dead: readonly DeadLetterInfo[];
  readonly evicted: number;
}

type Action = { readonly kind: 'list' } | { readonly kind: 'retry' | 'delete'; readonly id: string | null };

export async function deadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...controlOptions, retry: { type: 'boolean' }, delete: { type: 'boolean' }, all: { type: 'boolean' } },
  });
  const format = outputFormat(values.output);
  const [task, ...ids] = positionals;
  if (task === undefined) throw new UsageError('dead: expected a TASK');
  const action = deadAction(values, ids);
  const client = clientFrom(values);
  const base = `/v1/tasks/${encodeURIComponent(task)}/dead`;
  const id = action.kind === 'list' ? null : action.id;
  const one = id === null ? '' : `/${encodeURIComponent(id)}`;
  const print = (text: string): void => void process.stdout.write(`${text}\n`);
  try {
    if (action.kind === 'list') {
      const answer = await client.call<DeadAnswer>('GET', base);
      print(format === 'json' ? jsonLine(answer) : deadTable(answer, Date.now(), outputColumns(process.stdout)));
      return EXIT.ok;
    }
    if (action.kind === 'retry') {
      const { retried } = await client.call<{ retried: string[] }>('POST', `${base}${one}/retry`);
      if (format === 'json') print(jsonLine({ retried }));
      if (id === null || retried.length > 0) {
        if (format === 'table') print(retriedText(task, retried));
        return EXIT.ok;
      }
      process.stderr.write(`orchestrator: dead letter ${safeText(JSON.stringify(id))} of ${safeText(task)} was not retried: the bus no longer knows the task; it stays listed\n`);
      return EXIT.failed;
    }
    const { removed } = await client.call<{ removed: number }>('DELETE', `${base}${one}`);
    print(format === 'json' ? jsonLine({ removed }) : `deleted ${removed} dead letter${removed === 1 ? '' : 's'} of ${safeText(task)}`);
    return EXIT.ok;
  } catch (error) {
    // Not a usage error (what a 404 is to main): the task exists, the letter does not (any more).
    if (!(error instanceof ControlClientError) || error.code !== 'DEAD_LETTER_NOT_FOUND') throw error;
    process.stderr.write(`orchestrator: task ${safeText(task)} has no dead letter ${safeText(JSON.stringify(id))} (already retried, deleted or forgotten; list them with "orchestrator dead ${safeText(task)}")\n`);
    return EXIT.failed;
  }
}

/** What the flags ask for; UsageError for a combination that says nothing clear. */
export function deadAction(flags: { retry?: boolean | undefined; delete?: boolean | undefined; all?: boolean | undefined }, ids: readonly string[]): Action {
  if (flags.retry === true && flags.delete === true) throw new UsageError('dead: --retry and --delete exclude each other');
  const kind = flags.retry === true ? 'retry' : flags.delete === true ? 'delete' : 'list';
  if (kind === 'list') {
    if (flags.all === true) throw new UsageError('dead: --all goes with --retry or --delete');
    if (ids.length > 0) throw new UsageError(`dead: expected one TASK, got "${ids.join(' ')}" too (retry or delete a letter with --retry ID or --delete ID)`);
    return { kind };
  }
  if (ids.length > 1) throw new UsageError(`dead: --${kind} takes one ID (or --all)`);
  const [id] = ids;
  if (id === undefined && flags.all !== true) throw new UsageError(`dead: --${kind} needs an ID, or --all for every listed letter`);
  if (id !== undefined && flags.all === true) throw new UsageError(`dead: --${kind} takes an ID or --all, not both`);
  return { kind, id: id ?? null };
}

/** The table and, when some were forgotten, a line saying how many. Data and topics go through safeText. */
export function deadTable(answer: DeadAnswer, now: number, columns: number): string {
  const table = formatFittedTable(
    ['ID', 'TOPIC', 'ATTEMPTS', 'REASON', 'AGE', 'DATA'],
    answer.dead.map((l) => [safeText(l.id), safeText(l.topic), String(l.attempts), l.reason, formatAge(now - l.at), safeText(l.data)]),
    columns,
  );
  if (answer.evicted === 0) return table;
  return `${table}\n${answer.evicted} older dead letter${answer.evicted === 1 ? ' was' : 's were'} forgotten (the last ${KEPT_DEAD_LETTERS} of a task are kept, at most 4 Mi characters of data)`;
}

/** One "retried ID" line per letter, so a script can read them; a line saying so when there was none. */
export function retriedText(task: string, retried: readonly string[]): string {
  return retried.length === 0 ? `no dead letters of ${safeText(task)} to retry` : retried.map((id) => `retried ${safeText(id)}`).join('\n');
}
