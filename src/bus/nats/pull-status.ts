/**
 * What a status message on a pull inbox means for the credit this instance has outstanding at
 * the server. Pure: the pull engine feeds it the status code, description and pending header of
 * one message on its inbox.
 */
export type PullStatus =
  /** An idle heartbeat: the server still holds the request. */
  | { readonly kind: 'alive' }
  /**
   * The request ended with `unserved` messages never sent (expired, refused): that much credit
   * is free again. `retryLater`: the server refused it, so pulling again at once would repeat it.
   */
  | { readonly kind: 'ended'; readonly unserved: number; readonly retryLater: boolean }
  /** The pulls cannot be trusted (durable or stream gone, bad request): ensure the durable, pull again. */
  | { readonly kind: 'lost'; readonly reason: string };

/**
 * `batch` is the size of the request the status answers (its reply subject carries it), used
 * when the server does not say how much was left (`Nats-Pending-Messages`). Counting too much as
 * unserved only asks for a few more messages than slots (they wait in the local buffer); counting
 * too little would leak credit and stall the task, so a missing count is the whole batch.
 */
export function classifyPullStatus(code: number, description: string, pending: string | undefined, batch: number): PullStatus {
  const left = pending === undefined || pending === '' ? Number.NaN : Number(pending);
  const unserved = Number.isSafeInteger(left) && left >= 0 ? Math.min(left, batch) : batch;
  const text = description.toLowerCase();
  if (code === 100) return { kind: 'alive' };
  // 408: the request expired (the usual end of a long pull); 404: nothing to deliver (no_wait).
  if (code === 408 || code === 404) return { kind: 'ended', unserved, retryLater: false };
  if (code === 409) {
    if (text.includes('consumer deleted')) return { kind: 'lost', reason: 'the durable was deleted' };
    // Exceeded MaxWaiting, leadership change, request limits: the request is gone, nothing of it served.
    return { kind: 'ended', unserved, retryLater: !text.includes('leadership change') };
  }
  if (code === 503) return { kind: 'lost', reason: 'no responders (the durable or its stream is gone)' };
  return { kind: 'lost', reason: `status ${code} ${description}`.trim() };
}
