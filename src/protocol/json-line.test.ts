import { describe, expect, it } from 'vitest';
import { createStdoutParser } from './stdout-parser.js';
import type { StdoutEvent } from './types.js';

function parse(input: string, jsonMessages: boolean): StdoutEvent[] {
  const events: StdoutEvent[] = [];
  const parser = createStdoutParser({ maxMessageSize: 1024, jsonMessages }, (e) => events.push(e));
  parser.push(Buffer.from(input));
  parser.end();
  return events;
}

describe('JSON message lines (stdin = "json" pods)', () => {
  it('publishes {"topic","data"} and carries in_reply_to', () => {
    const input = '{"topic":"jobs.result","data":"a\\nb","in_reply_to":"m-7"}\n{"data":"x","topic":"t","extra":1}\n';
    expect(parse(input, true)).toEqual([
      { type: 'message', topic: 'jobs.result', data: 'a\nb', inReplyTo: 'm-7' },
      { type: 'message', topic: 't', data: 'x' },
    ]);
  });

  it('carries a requester\'s own "id" for its message as ref; a non-string id is ignored', () => {
    const input = '{"topic":"jobs","data":"x","id":"r1"}\n{"topic":"jobs.result","data":"y","id":"r2","in_reply_to":"m-3"}\n{"topic":"jobs","data":"z","id":5}\n';
    expect(parse(input, true)).toEqual([
      { type: 'message', topic: 'jobs', data: 'x', ref: 'r1' },
      { type: 'message', topic: 'jobs.result', data: 'y', inReplyTo: 'm-3', ref: 'r2' },
      { type: 'message', topic: 'jobs', data: 'z' },
    ]);
  });

  it('keeps every other line a log line, JSON logs included', () => {
    const lines = ['{"level":30,"msg":"hi"}', '{"topic":"t","data":1}', '{"topic":"t"}', '{not json', '[1]', ' {"topic":"t","data":"x"}', '{}'];
    expect(parse(lines.join('\n') + '\n', true)).toEqual(lines.map((line) => ({ type: 'log', line })));
  });

  it('reports a bad topic or a non-string in_reply_to as invalid (not published)', () => {
    const events = parse('{"topic":"a..b","data":"x"}\n{"topic":"t.result","data":"x","in_reply_to":7}\n', true);
    expect(events).toEqual([
      expect.objectContaining({ type: 'invalid', topic: 'a..b', reason: 'topic has an empty token' }),
      expect.objectContaining({ type: 'invalid', topic: 't.result', reason: 'has a non-string "in_reply_to"' }),
    ]);
  });

  it('is off by default: other pods\' JSON lines are logs', () => {
    const line = '{"topic":"jobs.result","data":"x","in_reply_to":"m-1"}';
    expect(parse(`${line}\n`, false)).toEqual([{ type: 'log', line }]);
  });

  it('leaves the quoted forms and blocks alone', () => {
    expect(parse('"t": 1\n"t"::\n{"topic":"u","data":"in a block"}\n::"t"\n', true)).toEqual([
      { type: 'message', topic: 't', data: '1' },
      { type: 'message', topic: 't', data: '{"topic":"u","data":"in a block"}' },
    ]);
  });
});
