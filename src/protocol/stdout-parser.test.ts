import { describe, expect, it } from 'vitest';
import { parseByteByByte, parseChunks } from '../../test/fixtures/protocol/parse.js';
import { createStdoutParser } from './stdout-parser.js';
import type { StdoutEvent } from './types.js';

const msg = (topic: string, data: string): StdoutEvent => ({ type: 'message', topic, data });
const log = (line: string): StdoutEvent => ({ type: 'log', line });

describe('single-line messages', () => {
  it.each([
    ['"jobs": build-42', 'jobs', 'build-42'],
    ['"jobs":build-42', 'jobs', 'build-42'],
    ['"jobs"   :   build-42   ', 'jobs', 'build-42'],
    ['"jobs"\t:\tbuild 42\t', 'jobs', 'build 42'],
    ['"jobs":', 'jobs', ''],
    ['"jobs":   ', 'jobs', ''],
    ['"a.b.c": x: y : z', 'a.b.c', 'x: y : z'],
    ['"jobs": "quoted" value', 'jobs', '"quoted" value'],
    ['"jobs":: x', 'jobs', ': x'],
    ['"jobs" ::', 'jobs', ':'],
    ['"a*b": 1', 'a*b', '1'],
  ])('%j', (line, topic, data) => {
    expect(parseChunks(`${line}\n`)).toEqual([msg(topic, data)]);
  });

  it('a run of lines on one topic, broken by longer, shorter, escaped and invalid topics, parses each line alone', () => {
    const lines = ['"a": 1', '"a": 2', '"ab": 3', '"a" : 4', '"": 5', '"a"x', '"a\\"b": 6', '"a": 7', '"a.": 8', '"a"::', 'in', '::"a"', '"a": 9', '"b.c": 10'];
    const expected = [msg('a', '1'), msg('a', '2'), msg('ab', '3'), msg('a', '4'), expect.objectContaining({ type: 'invalid', topic: '' }), log('"a"x'), msg('a"b', '6'), msg('a', '7'), expect.objectContaining({ type: 'invalid', topic: 'a.' }), msg('a', 'in'), msg('a', '9'), msg('b.c', '10')];
    expect(parseChunks(lines.map((l) => `${l}\n`).join(''))).toEqual(expected);
  });

  it('keeps non-space/tab whitespace inside the value (only spaces and tabs are trimmed)', () => {
    expect(parseChunks('"t": \u00a0x\u00a0\n')).toEqual([msg('t', '\u00a0x\u00a0')]);
  });

  it('unescapes \\" and \\\\ and any escaped char in topics', () => {
    expect(parseChunks('"a\\"b": 1\n"c\\\\d": 2\n"\\e.f": 3\n')).toEqual([msg('a"b', '1'), msg('c\\d', '2'), msg('e.f', '3')]);
  });

  it('treats lines that miss the grammar as logs', () => {
    const lines = [' "jobs": x', '\t"jobs": x', '"jobs" x', '"jobs', '"jobs\\"', '"jobs\\', 'jobs: x', '', 'plain', '"', '"jobs"'];
    expect(parseChunks(lines.join('\n') + '\n')).toEqual(lines.map(log));
  });

  it('reports unpublishable topics as invalid, not published', () => {
    const cases: [string, string, RegExp][] = [
      ['"": x', '', /empty/],
      ['"a b": x', 'a b', /whitespace/],
      ['"a..b": x', 'a..b', /empty token/],
      ['".a": x', '.a', /empty token/],
      ['"a.": x', 'a.', /empty token/],
      ['"a.*": x', 'a.*', /wildcard/],
      ['">": x', '>', /wildcard/],
      ['"a\\ b": x', 'a b', /whitespace/],
      ['"a b"::', 'a b', /whitespace/],
    ];
    for (const [line, topic, reason] of cases) {
      const events = parseChunks(`${line}\n`);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'invalid', line, topic });
      expect((events[0] as { reason: string }).reason).toMatch(reason);
    }
  });

  it('does not open a block for an invalid block start', () => {
    expect(parseChunks('"a..b"::\n"x": 1\n::"a..b"\n')).toEqual([
      expect.objectContaining({ type: 'invalid', topic: 'a..b' }),
      msg('x', '1'),
      log('::"a..b"'),
    ]);
  });
});

describe('blocks', () => {
  it('joins data lines with \\n', () => {
    expect(parseChunks('"t"::\nline 1\n  line 2  \n\nline 4\n::"t"\n')).toEqual([msg('t', 'line 1\n  line 2  \n\nline 4')]);
  });

  it('handles empty blocks and a single empty line as empty data', () => {
    expect(parseChunks('"t"::\n::"t"\n"t"::\n\n::"t"\n')).toEqual([msg('t', ''), msg('t', '')]);
  });

  it('treats message-looking and block-looking lines inside a block as data', () => {
    const body = ['"other": 1', '"t"::', '"u"::', '::"u"', ' ::"t"', '::"t" ', '::"t"x', '::t'];
    expect(parseChunks(`"t"::\n${body.join('\n')}\n::"t"\nafter\n`)).toEqual([msg('t', body.join('\n')), log('after')]);
  });

  it('requires the end marker spelled like the opener', () => {
    const input = '"a\\.b"::\n::"a.b"\n::"a\\.b"\n';
    expect(parseChunks(input)).toEqual([msg('a.b', '::"a.b"')]);
  });

  it('publishes a block left open at end()', () => {
    expect(parseChunks('"t"::\na\nb')).toEqual([msg('t', 'a\nb')]);
    expect(parseChunks('"t"::\n')).toEqual([msg('t', '')]);
  });

  it('resumes normal parsing after a block', () => {
    expect(parseChunks('x\n"t"::\n1\n::"t"\n"u": 2\ny\n')).toEqual([log('x'), msg('t', '1'), msg('u', '2'), log('y')]);
  });
});

describe('bytes and lines', () => {
  it('strips one trailing \\r from every line, including block lines and end markers', () => {
    expect(parseChunks('"a": 1\r\nlog\r\n"t"::\r\nx\r\n\r\n::"t"\r\nq\r\r\n')).toEqual([
      msg('a', '1'),
      log('log'),
      msg('t', 'x\n'),
      log('q\r'),
    ]);
  });

  it('flushes a final line without newline at end()', () => {
    expect(parseChunks('a\n"t": 1')).toEqual([log('a'), msg('t', '1')]);
    expect(parseChunks('')).toEqual([]);
    expect(parseChunks('a\n')).toEqual([log('a')]);
  });

  it('decodes invalid UTF-8 to U+FFFD without throwing', () => {
    const input = Buffer.concat([Buffer.from('"t": a'), Buffer.from([0xff, 0xc3]), Buffer.from('\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]);
    expect(parseChunks(input)).toEqual([msg('t', 'a\ufffd\ufffd'), log('\ufffd')]);
  });

  it('reassembles multi-byte characters split across chunks', () => {
    expect(parseByteByByte('"tö.€": 𝄞 ü\n€\n')).toEqual([msg('tö.€', '𝄞 ü'), log('€')]);
  });

  it('gives the same events whatever the chunking', () => {
    const input = 'log 1\r\n"a": 1\n"t"::\n"x": y\n\n::"t"\n  indented\n"b\\"c" : 2 \n"open"::\nz';
    const expected = parseChunks(input);
    expect(expected).toHaveLength(6);
    expect(parseByteByByte(input)).toEqual(expected);
    const len = Buffer.byteLength(input);
    for (let seed = 1; seed < 200; seed++) {
      const cuts = Array.from({ length: seed % 7 }, (_, i) => (seed * 7919 * (i + 1)) % len);
      expect(parseChunks(input, 1024, cuts)).toEqual(expected);
    }
  });
});

describe('size limit', () => {
  it('names the topic of an oversize one-line message, whatever the chunking', () => {
    const input = `"jobs.big": ${'x'.repeat(40)}\n"a \\"q\\"": ${'y'.repeat(40)}\nok\n`;
    const expected = [
      { type: 'oversize', bytes: 12 + 40, topic: 'jobs.big' },
      { type: 'oversize', bytes: 11 + 40, topic: 'a "q"' },
      log('ok'),
    ];
    expect(parseChunks(input, 20)).toEqual(expected);
    expect(parseByteByByte(input, 20)).toEqual(expected);
  });

  it('allows lines of exactly the limit and rejects one byte more', () => {
    expect(parseChunks(`${'a'.repeat(10)}\n${'b'.repeat(11)}\nok\n`, 10)).toEqual([
      log('a'.repeat(10)),
      { type: 'oversize', bytes: 11, topic: null },
      log('ok'),
    ]);
    expect(parseByteByByte(`${'a'.repeat(10)}\r\n${'b'.repeat(12)}\nok\n`, 10)).toEqual([
      log('a'.repeat(10)),
      { type: 'oversize', bytes: 12, topic: null },
      log('ok'),
    ]);
  });

  it('reports an oversize block once with its topic, then finds its end and resumes', () => {
    const input = `"t"::\n${'x'.repeat(6)}\n${'y'.repeat(6)}\n"u": 1\n::"t"\n"v": 2\n`;
    expect(parseChunks(input, 10)).toEqual([{ type: 'oversize', bytes: 6 + 1 + 6 + 1 + 6, topic: 't' }, msg('v', '2')]);
  });

  it('counts an over-long line inside a block towards the block', () => {
    expect(parseByteByByte(`"t"::\nab\n${'z'.repeat(50)}\n::"t"\nok\n`, 10)).toEqual([
      { type: 'oversize', bytes: 2 + 1 + 50, topic: 't' },
      log('ok'),
    ]);
  });

  it('reports an oversize block left open at end()', () => {
    expect(parseChunks(`"t"::\n${'x'.repeat(20)}`, 10)).toEqual([{ type: 'oversize', bytes: 20, topic: 't' }]);
  });

  it('streams 50 MB of one line in 64 KiB chunks with bounded memory', () => {
    const events: StdoutEvent[] = [];
    const parser = createStdoutParser({ maxMessageSize: 1024 * 1024 }, (e) => events.push(e));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunks = Math.ceil((50 * 1024 * 1024) / chunk.length);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    for (let i = 0; i < chunks; i++) {
      parser.push(chunk);
      if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    parser.push(Buffer.from('\n"t": after\n"b"::\n'));
    for (let i = 0; i < chunks; i++) {
      parser.push(chunk.subarray(0, 32 * 1024));
      parser.push(Buffer.from('\n'));
    }
    parser.push(Buffer.from('::"b"\ntail\n'));
    parser.end();
    expect(events).toEqual([
      { type: 'oversize', bytes: chunks * chunk.length, topic: null },
      msg('t', 'after'),
      { type: 'oversize', bytes: chunks * (32 * 1024 + 1) - 1, topic: 'b' },
      log('tail'),
    ]);
    expect(peak).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('onMessage', () => {
  it('takes every plain message, in order with the events, which the sink no longer sees', () => {
    const seen: unknown[] = [];
    const parser = createStdoutParser(
      { maxMessageSize: 1024, jsonMessages: true },
      (e) => seen.push(e),
      (topic, data) => seen.push([topic, data]),
    );
    parser.push(Buffer.from('"a": 1\nhello\n"b"::\nx\ny\n::"b"\n{"topic":"c","data":"2","in_reply_to":"m1"}\n"a": 3\n"a'));
    parser.end();
    expect(seen).toEqual([
      ['a', '1'],
      log('hello'),
      ['b', 'x\ny'],
      { type: 'message', topic: 'c', data: '2', inReplyTo: 'm1' },
      ['a', '3'],
      log('"a'),
    ]);
  });
});
