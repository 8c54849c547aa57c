import { topicProblem } from './topic.js';
import type { StdoutEvent } from './types.js';

/**
 * The JSON form of a stdout message, read only from pods whose task has `stdin = "json"`:
 * `{"topic":"jobs.result","data":"…","in_reply_to":"<id>"}` on one line. `in_reply_to` (optional)
 * names the delivery this line answers, by the `id` the json stdin format gave it; `id` (optional)
 * is the requester's own name for this message, echoed as `in_reply_to` on its reply.
 *
 * Returns null for a line that is not such an object (not JSON, not an object, or without string
 * `topic` and `data`): it stays a log line, so JSON log lines (pino, bunyan) keep working.
 */
export function parseJsonLine(line: string): StdoutEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const { topic, data } = v;
  if (typeof topic !== 'string' || typeof data !== 'string') return null;
  const inReplyTo = v['in_reply_to'];
  if (inReplyTo !== undefined && typeof inReplyTo !== 'string') {
    return { type: 'invalid', line, topic, reason: 'has a non-string "in_reply_to"' };
  }
  // A non-string id names nothing a requester could match; it is ignored, as other keys were before.
  const ref = typeof v['id'] === 'string' ? v['id'] : undefined;
  const problem = topicProblem(topic);
  if (problem !== null) return { type: 'invalid', line, topic, reason: problem };
  if (ref === undefined) return inReplyTo === undefined ? { type: 'message', topic, data } : { type: 'message', topic, data, inReplyTo };
  return inReplyTo === undefined ? { type: 'message', topic, data, ref } : { type: 'message', topic, data, inReplyTo, ref };
}
