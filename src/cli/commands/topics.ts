import { parseArgs } from 'node:util';
import type { TopicInfo } from '../../control/api-types.js';
import { matchTopic } from '../../bus/bus.js';
import { MAX_TOPICS } from '../../observe/topic-book.js';
import { patternProblem } from '../../protocol/index.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { safeText, jsonLine } from '../safe-text.js';
import { formatAge, formatFittedTable, outputColumns } from '../table.js';
import { EXIT, UsageError } from '../usage-error.js';

export const topicsHelp = `Usage: orchestrator topics [PATTERN] [-o json]

One row per topic published since the start: TOPIC PUBLISHED PUBLISHERS SUBSCRIBERS LAST LATEST.
PUBLISHERS: the tasks whose pods published on it, with their counts ("<orchestrator>" = the
orchestrator itself or the API); SUBSCRIBERS: the tasks whose subscribe patterns match it, with
their mode, then pods that subscribed on their own ("worker-0 (pod)"); LAST: age of the last
message; LATEST: its data, cut to the terminal width (control characters shown as escapes).
PATTERN keeps the topics it matches, as a subscription would ("*" one token, ">" the rest).
At most ${MAX_TOPICS} topics are kept: a line below the table says how many were forgotten.
-o json prints the API's answer (the topics PATTERN matches, data cut at 1024 characters).

Exit codes: 0 listed (also when nothing matches); 2 usage error (a bad PATTERN).
${controlHelp}`;

export interface TopicsAnswer {
  readonly topics: readonly TopicInfo[];
  readonly evicted: number;
}

export async function topicsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: controlOptions });
  const format = outputFormat(values.output);
  const [pattern, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError('topics: expected at most one PATTERN');
  const problem = pattern === undefined ? null : patternProblem(pattern);
  if (problem !== null) throw new UsageError(`topics: ${JSON.stringify(pattern)} is not a topic pattern: ${problem}`);
  const answer = await clientFrom(values).call<TopicsAnswer>('GET', '/v1/topics');
  const shown = { topics: filterTopics(answer.topics, pattern), evicted: answer.evicted };
  process.stdout.write(`${format === 'json' ? jsonLine(shown) : topicsTable(shown, Date.now(), outputColumns(process.stdout))}\n`);
  return EXIT.ok;
}

/** The topics `pattern` matches (all without one), in the API's order. */
export function filterTopics(topics: readonly TopicInfo[], pattern: string | undefined): TopicInfo[] {
  return pattern === undefined ? [...topics] : topics.filter((t) => matchTopic(pattern, t.topic));
}

/** The table and, when some were forgotten, a line saying how many. Every pod-made string goes through safeText. */
export function topicsTable(answer: TopicsAnswer, now: number, columns: number): string {
  const table = formatFittedTable(
    ['TOPIC', 'PUBLISHED', 'PUBLISHERS', 'SUBSCRIBERS', 'LAST', 'LATEST'],
    answer.topics.map((t) => [
      safeText(t.topic),
      String(t.published),
      listOrDash(Object.entries(t.publishers).map(([task, n]) => `${task === '' ? '<orchestrator>' : safeText(task)} ${n}`)),
      listOrDash(t.subscribers.map((s) => (s.pod === undefined ? `${safeText(s.task)} (${s.mode})` : `${safeText(s.pod)} (pod)`))),
      t.lastAt === null ? '-' : formatAge(now - t.lastAt),
      t.latest === null ? '-' : safeText(t.latest.data),
    ]),
    columns,
  );
  if (answer.evicted === 0) return table;
  return `${table}\n${answer.evicted} older topic${answer.evicted === 1 ? ' was' : 's were'} forgotten (only the ${MAX_TOPICS} most recently published are kept)`;
}

function listOrDash(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}
