import { describe, expect, it } from 'vitest';
import { parseChunks } from '../../test/fixtures/protocol/parse.js';
import { countDataLines, encodeDelivery, formatPublish, frameEncoder, payloadProblem } from './encode.js';
import { InvalidTopicError, UnencodableDataError } from './errors.js';
import { isValidTopic, topicProblem, validateTopic } from './topic.js';

const m = (topic: string, data: string) => ({ id: 'm-1', topic, data });
const text = (s: string) => s;

describe('stdin encoders', () => {
  it('framed: topic, line count, data lines', () => {
    expect(text(encodeDelivery('framed', m('jobs', 'build-42'), 1))).toBe('jobs\n1\nbuild-42\n');
    expect(text(encodeDelivery('framed', m('jobs', ''), 1))).toBe('jobs\n0\n');
    expect(text(encodeDelivery('framed', m('jobs', 'a\nb'), 1))).toBe('jobs\n2\na\nb\n');
    expect(text(encodeDelivery('framed', m('jobs', '\n'), 1))).toBe('jobs\n2\n\n\n');
    expect(text(encodeDelivery('framed', m('jobs', 'ü'), 1))).toBe('jobs\n1\nü\n');
  });

  it('json: one object per line with id and attempt', () => {
    expect(text(encodeDelivery('json', m('jobs', 'a\n"b"'), 3))).toBe('{"topic":"jobs","data":"a\\n\\"b\\"","id":"m-1","attempt":3}\n');
  });

  it('payload: data lines only; empty data is one empty line', () => {
    expect(text(encodeDelivery('payload', m('jobs', 'build-42'), 1))).toBe('build-42\n');
    expect(text(encodeDelivery('payload', m('jobs', 'a\nb'), 1))).toBe('a\nb\n');
    expect(text(encodeDelivery('payload', m('jobs', ''), 1))).toBe('\n');
  });

  it('says which formats depend on the attempt', () => {
    expect(frameEncoder('framed').dependsOnAttempt).toBe(false);
    expect(frameEncoder('payload').dependsOnAttempt).toBe(false);
    expect(frameEncoder('json').dependsOnAttempt).toBe(true);
    expect(text(frameEncoder('framed').encode(m('t', 'x'), 1))).toBe(text(frameEncoder('framed').encode(m('t', 'x'), 9)));
  });

  it('payload: says why data is not one line', () => {
    expect([payloadProblem(''), payloadProblem('build 42'), payloadProblem('tab\there')]).toEqual([null, null, null]);
    expect(payloadProblem('a\nb')).toBe('data has 2 lines; stdin = "payload" carries one line per message: use stdin = "json" or "framed"');
    expect(payloadProblem('a\n')).toMatch(/^data has 2 lines;/);
    expect(payloadProblem('a\rb')).toBe('data contains "\\r", a line break to many line readers; stdin = "payload" carries one line per message: use stdin = "json" or "framed"');
  });
  it('counts data lines', () => {
    expect([countDataLines(''), countDataLines('a'), countDataLines('a\n'), countDataLines('\n\n')]).toEqual([0, 1, 2, 3]);
  });
});

describe('formatPublish', () => {
  it('uses one line for trimmed single-line data', () => {
    expect(formatPublish('jobs', 'build-42')).toBe('"jobs": build-42\n');
    expect(formatPublish('jobs', '')).toBe('"jobs": \n');
    expect(formatPublish('a"b\\c', 'x')).toBe('"a\\"b\\\\c": x\n');
  });

  it('uses a block for multi-line data or data with edge blanks', () => {
    expect(formatPublish('jobs', 'a\nb')).toBe('"jobs"::\na\nb\n::"jobs"\n');
    expect(formatPublish('jobs', ' x')).toBe('"jobs"::\n x\n::"jobs"\n');
    expect(formatPublish('jobs', 'x\t')).toBe('"jobs"::\nx\t\n::"jobs"\n');
    expect(formatPublish('a"b', '\n')).toBe('"a\\"b"::\n\n\n::"a\\"b"\n');
  });

  it('throws typed errors for what cannot be sent', () => {
    expect(() => formatPublish('jobs', 'a\n::"jobs"\nb')).toThrow(UnencodableDataError);
    expect(() => formatPublish('jobs', 'a\r\nb')).toThrow(expect.objectContaining({ code: 'UNENCODABLE_DATA' }));
    expect(() => formatPublish('jobs', 'a\r')).toThrow(UnencodableDataError);
    expect(() => formatPublish('a.*', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC', topic: 'a.*' }));
    expect(formatPublish('jobs', 'a\n::"jobs" \nb')).toBe('"jobs"::\na\n::"jobs" \nb\n::"jobs"\n');
  });

  it('round-trips through the parser for awkward cases', () => {
    const cases: [string, string][] = [['t', ''], ['t', ' '], ['t', '\n'], ['t', '"x": 1\n"t"::'], ['a\\"b.c', '::"a\\"b.c"'], ['t', 'a\rb']];
    for (const [topic, data] of cases) {
      expect(parseChunks(formatPublish(topic, data))).toEqual([{ type: 'message', topic, data }]);
    }
  });
});

describe('topic validation', () => {
  it.each(['a', 'a.b.c', 'jobs.result', 'a*b', 'a>', 'ünï.cødé', 'a"b', 'system.ready'])('accepts %j', (t) => {
    expect(isValidTopic(t)).toBe(true);
    expect(() => validateTopic(t)).not.toThrow();
  });

  it.each(['', '.', 'a.', '.a', 'a..b', 'a b', 'a\tb', 'a\nb', 'a\u00a0b', 'a\u3000b', '*', 'a.*', '>', 'a.>.b'])('rejects %j', (t) => {
    expect(isValidTopic(t)).toBe(false);
    expect(topicProblem(t)).toEqual(expect.any(String));
    expect(() => validateTopic(t)).toThrow(InvalidTopicError);
  });
});
