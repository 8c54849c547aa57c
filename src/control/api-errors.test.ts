import type { ServerResponse } from 'node:http';
import { describe, expect, test } from 'vitest';
import { InvalidTopicPatternError } from '../bus/errors.js';
import { InvalidTopicError } from '../protocol/errors.js';
import { StoppingError, TaskNotFoundError } from '../app/errors.js';
import { LogTargetNotFoundError, PublishTopicError } from './errors.js';
import { OrchestratorError } from '../util/errors.js';
import { isApiError, type ApiErrorCode } from './api-errors.js';
import { HttpError } from './errors.js';
import { sendError } from './http.js';

/** The status and body `sendError` writes for `error`. */
function answer(error: unknown): { status: number; code: string } {
  let status = -1;
  let text = '';
  const res = {
    headersSent: false,
    setHeader: () => res,
    writeHead: (s: number) => {
      status = s;
      return res;
    },
    end: (t: string) => {
      text = t;
      return res;
    },
  };
  sendError(res as unknown as ServerResponse, error);
  return { status, code: (JSON.parse(text) as { error: { code: string } }).error.code };
}

describe('API error statuses', () => {
  test('each ControlTarget error answers with its status and code', () => {
    expect(answer(new TaskNotFoundError('ghost', ['worker']))).toEqual({ status: 404, code: 'TASK_NOT_FOUND' });
    expect(answer(new LogTargetNotFoundError('ghost'))).toEqual({ status: 404, code: 'TARGET_NOT_FOUND' });
    expect(answer(new PublishTopicError('a b', 'whitespace'))).toEqual({ status: 400, code: 'INVALID_TOPIC' });
    expect(answer(new InvalidTopicPatternError('a..b', 'empty token'))).toEqual({ status: 400, code: 'INVALID_TOPIC_PATTERN' });
    expect(answer(new StoppingError())).toEqual({ status: 409, code: 'STOPPING' });
  });

  test('an HttpError keeps its own status; another deliberate error is 400; anything else is 500 INTERNAL', () => {
    expect(answer(new HttpError(405, 'METHOD_NOT_ALLOWED', 'no'))).toEqual({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(answer(new InvalidTopicError('a b', 'whitespace'))).toEqual({ status: 400, code: 'INVALID_TOPIC' });
    expect(answer(new OrchestratorError('SOMETHING_ELSE', 'x'))).toEqual({ status: 400, code: 'SOMETHING_ELSE' });
    expect(answer(new Error('boom'))).toEqual({ status: 500, code: 'INTERNAL' });
  });

  test('isApiError knows exactly the ControlTarget error classes', () => {
    expect(isApiError(new StoppingError())).toBe(true);
    expect(isApiError(new OrchestratorError('STOPPING', 'look-alike'))).toBe(false);
    expect(isApiError(new InvalidTopicError('a b', 'whitespace'))).toBe(false);
  });

  test('the codes are a closed union (checked by the typecheck)', () => {
    // @ts-expect-error a code no ControlTarget error has
    const unknown: ApiErrorCode = 'NOT_A_CODE';
    // @ts-expect-error a status table missing a code does not compile
    const partial: Record<ApiErrorCode, number> = { TASK_NOT_FOUND: 404, TARGET_NOT_FOUND: 404, INVALID_TOPIC: 400, INVALID_TOPIC_PATTERN: 400 };
    expect([unknown, Object.keys(partial).length]).toEqual(['NOT_A_CODE', 4]);
  });
});
