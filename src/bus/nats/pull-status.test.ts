import { describe, expect, it } from 'vitest';
import { classifyPullStatus } from './pull-status.js';

describe('classifyPullStatus', () => {
  it('a heartbeat keeps the credit outstanding', () => {
    expect(classifyPullStatus(100, 'Idle Heartbeat', undefined, 4)).toEqual({ kind: 'alive' });
  });

  it('an expired request frees what the server says was left, at most its batch', () => {
    expect(classifyPullStatus(408, 'Request Timeout', '3', 4)).toEqual({ kind: 'ended', unserved: 3, retryLater: false });
    expect(classifyPullStatus(408, 'Request Timeout', '0', 4)).toEqual({ kind: 'ended', unserved: 0, retryLater: false });
    expect(classifyPullStatus(408, 'Request Timeout', '99', 4)).toEqual({ kind: 'ended', unserved: 4, retryLater: false });
  });

  it('without a count the whole batch is free again (over-asking is bounded, a leak would stall)', () => {
    expect(classifyPullStatus(408, 'Request Timeout', undefined, 5)).toEqual({ kind: 'ended', unserved: 5, retryLater: false });
    expect(classifyPullStatus(408, 'Request Timeout', 'x', 5)).toEqual({ kind: 'ended', unserved: 5, retryLater: false });
    expect(classifyPullStatus(404, 'No Messages', undefined, 2)).toEqual({ kind: 'ended', unserved: 2, retryLater: false });
  });

  it('a refused request is pulled again later; a leadership change at once', () => {
    expect(classifyPullStatus(409, 'Exceeded MaxWaiting', undefined, 8)).toEqual({ kind: 'ended', unserved: 8, retryLater: true });
    expect(classifyPullStatus(409, 'Leadership Change', '2', 8)).toEqual({ kind: 'ended', unserved: 2, retryLater: false });
  });

  it('a deleted durable, no responders and a bad request lose the pulls', () => {
    expect(classifyPullStatus(409, 'Consumer Deleted', undefined, 1)).toEqual({ kind: 'lost', reason: 'the durable was deleted' });
    expect(classifyPullStatus(503, '', undefined, 1).kind).toBe('lost');
    expect(classifyPullStatus(400, 'Bad Request', undefined, 1)).toEqual({ kind: 'lost', reason: 'status 400 Bad Request' });
  });
});
