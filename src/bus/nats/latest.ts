import type { JetStreamManager } from '@nats-io/jetstream';
import type { Message } from '../../protocol/types.js';
import { compilePattern, matchCompiled } from '../routing/index.js';
import { decodeEnvelope, type ProjectNames } from './names.js';

/**
 * The retained latest message of each topic matching `patterns`, least recently updated first,
 * read from the project's latest stream (one message per subject; the subject carries the topic
 * encoded, the envelope the topic itself).
 */
export async function readLatest(jsm: JetStreamManager, names: ProjectNames, patterns: readonly string[]): Promise<Message[]> {
  if (patterns.length === 0) return [];
  const compiled = patterns.map(compilePattern);
  const info = await jsm.streams.info(names.latestStream, { subjects_filter: names.latestFilter });
  const subjects = Object.keys(info.state.subjects ?? {});
  const found: { seq: number; message: Message }[] = [];
  await Promise.all(
    subjects.map(async (subject) => {
      const token = subject.slice(names.latestFilter.length - 1);
      const topic = Buffer.from(token === '_' ? '' : token, 'base64url').toString('utf8');
      if (!compiled.some((p) => matchCompiled(p, topic))) return;
      const stored = await jsm.streams.getMessage(names.latestStream, { last_by_subj: subject });
      const message = stored === null ? null : decodeEnvelope(stored.data);
      if (stored !== null && message !== null && message.topic === topic) found.push({ seq: stored.seq, message });
    }),
  );
  return found.sort((a, b) => a.seq - b.seq).map((f) => f.message);
}

/** The retained latest message of `topic`, null when there is none (or what is stored is not an envelope of it). */
export async function readLatestOf(jsm: JetStreamManager, names: ProjectNames, topic: string): Promise<Message | null> {
  let stored;
  try {
    stored = await jsm.streams.getMessage(names.latestStream, { last_by_subj: names.latestSubject(topic) });
  } catch (error) {
    if (isNoMessage(error)) return null;
    throw error;
  }
  const message = stored === null ? null : decodeEnvelope(stored.data);
  return message !== null && message.topic === topic ? message : null;
}

/** JetStream's "no message found" (10037) for a subject never written. */
function isNoMessage(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; api_error?: { err_code?: number } } | null;
  return e?.api_error?.err_code === 10037 || e?.code === 10037 || (typeof e?.message === 'string' && /no message found/i.test(e.message));
}
