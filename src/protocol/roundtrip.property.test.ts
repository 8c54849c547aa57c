import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChunks } from '../../test/fixtures/protocol/parse.js';
import { encodeDelivery, formatPublish } from './encode.js';
import { UnencodableDataError } from './errors.js';
import { createFrameDecoder, type IncomingMessage } from './frame-decoder.js';
import type { StdinFormat } from './types.js';

// Topics: 1-4 tokens drawn from characters that include the escapes and near-misses.
const token = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '9', '"', '\\', ':', '*', '>', '-', 'é', '€'), minLength: 1, maxLength: 6 })
  .filter((t) => t !== '*' && t !== '>');
const topic = fc.array(token, { minLength: 1, maxLength: 4 }).map((ts) => ts.join('.'));
// Data: mixes protocol-looking fragments with arbitrary well-formed text.
const piece = fc.oneof(
  fc.constantFrom('\n', ' ', '\t', '"', '::', '"t"::', '::"t"', '\\', ':', '\r', 'x', '𝄞'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const data = fc.array(piece, { maxLength: 12 }).map((ps) => ps.join(''));
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 8 });

describe('formatPublish → stdout parser', () => {
  it('round-trips (topic, data) exactly under any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(topic, data), { minLength: 1, maxLength: 5 }), cuts, (msgs, cutList) => {
        const sendable: [string, string][] = [];
        let wire = '';
        for (const [t, d] of msgs) {
          try {
            wire += formatPublish(t, d);
            sendable.push([t, d]);
          } catch (e) {
            if (!(e instanceof UnencodableDataError)) throw e;
          }
        }
        const events = parseChunks(wire, 1 << 20, cutList);
        expect(events).toEqual(sendable.map(([t, d]) => ({ type: 'message', topic: t, data: d })));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects only data the parser could not return exactly', () => {
    fc.assert(
      fc.property(topic, data, (t, d) => {
        let threw = false;
        try {
          formatPublish(t, d);
        } catch {
          threw = true;
        }
        const lines = d.split('\n');
        const expected = d.includes('\n') || /^[ \t\r]|[ \t\r]$/.test(d)
          ? lines.some((l) => l.endsWith('\r') || l === `::"${t.replace(/["\\]/g, '\\$&')}"`)
          : false;
        expect(threw).toBe(expected);
      }),
    );
  });
});

/** What a pod's writer sends for deliveries batched in one turn: their text joined, as UTF-8. */
const joined = (frames: readonly string[]): Buffer => Buffer.from(frames.join(''), 'utf8');

describe('stdin encoder → frame decoder', () => {
  const decodeAll = (format: StdinFormat, wire: Buffer, cutList: number[]) => {
    const out: IncomingMessage[] = [];
    const decoder = createFrameDecoder({ format }, { message: (m) => out.push(m), error: (e) => { throw e; } });
    let prev = 0;
    for (const c of [...cutList].sort((a, b) => a - b)) {
      if (c <= prev || c >= wire.length) continue;
      decoder.push(wire.subarray(prev, c));
      prev = c;
    }
    decoder.push(wire.subarray(prev));
    decoder.end();
    return out;
  };
  const messages = fc.array(fc.record({ id: fc.string({ maxLength: 5 }), topic, data }), { maxLength: 6 });

  it('framed round-trips topic and data', () => {
    fc.assert(
      fc.property(messages, cuts, (ms, cutList) => {
        const wire = joined(ms.map((m) => encodeDelivery('framed', m, 1)));
        expect(decodeAll('framed', wire, cutList)).toEqual(ms.map((m) => ({ topic: m.topic, data: m.data })));
      }),
      { numRuns: 300 },
    );
  });

  it('json round-trips topic, data, id and attempt', () => {
    fc.assert(
      fc.property(messages, fc.integer({ min: 1, max: 9 }), cuts, (ms, attempt, cutList) => {
        const wire = joined(ms.map((m) => encodeDelivery('json', m, attempt)));
        expect(decodeAll('json', wire, cutList)).toEqual(ms.map((m) => ({ topic: m.topic, data: m.data, id: m.id, attempt })));
      }),
      { numRuns: 300 },
    );
  });

  it('payload delivers each data line (one empty line for empty data)', () => {
    fc.assert(
      fc.property(messages, cuts, (ms, cutList) => {
        const wire = joined(ms.map((m) => encodeDelivery('payload', m, 1)));
        const lines = ms.flatMap((m) => m.data.split('\n'));
        expect(decodeAll('payload', wire, cutList)).toEqual(lines.map((l) => ({ topic: '', data: l })));
      }),
    );
  });

  it('a joined batch is byte for byte the deliveries encoded one by one, lone surrogates included', () => {
    // Data from the control API is any JS string: a lone surrogate at the end of one delivery's data
    // must not pair with one at the start of the next when a turn's deliveries are joined.
    const anyText = fc.array(fc.oneof(fc.constantFrom('\ud83d', '\udc00', '\n', '😀', 'ü'), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 6 }).map((ps) => ps.join(''));
    const anyMessages = fc.array(fc.record({ id: fc.string({ maxLength: 3 }), topic, data: anyText }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(anyMessages, fc.constantFrom<StdinFormat>('framed', 'json', 'payload'), (ms, format) => {
        const frames = ms.map((m) => encodeDelivery(format, m, 1));
        expect(joined(frames)).toEqual(Buffer.concat(frames.map((f) => Buffer.from(f, 'utf8'))));
      }),
      { numRuns: 500 },
    );
  });
});
