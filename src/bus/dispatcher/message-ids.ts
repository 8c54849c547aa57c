import { randomBytes } from 'node:crypto';

/**
 * Message ids unique per orchestrator run (`Message.id`): a random run prefix and a base-36
 * counter, e.g. "3f9c2a7e-1", "3f9c2a7e-1k". No crypto and no 36-character string per message.
 * Ids of two runs differ by their prefix (with overwhelming probability), so a log spanning
 * restarts of the orchestrator does not mix them up.
 */
export function messageIds(prefix: string = randomBytes(4).toString('hex')): () => string {
  let n = 0;
  return () => `${prefix}-${(++n).toString(36)}`;
}
