import { describe, expect, it } from 'vitest';
import type { StdinFormat } from './types.js';
import type { FrameDecodeError } from './errors.js';
import { createFrameDecoder, type IncomingMessage } from './frame-decoder.js';

function decode(format: StdinFormat, input: string, byteByByte = false) {
  const messages: IncomingMessage[] = [];
  const errors: FrameDecodeError[] = [];
  const d = createFrameDecoder({ format }, { message: (m) => messages.push(m), error: (e) => errors.push(e) });
  const buf = Buffer.from(input);
  if (byteByByte) for (let i = 0; i < buf.length; i++) d.push(buf.subarray(i, i + 1));
  else d.push(buf);
  d.end();
  return { messages, errors };
}

describe('frame decoder', () => {
  it('framed: topic, count, data lines; keeps \\r', () => {
    for (const bb of [false, true]) {
      expect(decode('framed', 'jobs\n1\nbuild-42\njobs\n0\nx.y\n3\na\r\n\nü\n', bb)).toEqual({
        messages: [
          { topic: 'jobs', data: 'build-42' },
          { topic: 'jobs', data: '' },
          { topic: 'x.y', data: 'a\r\n\nü' },
        ],
        errors: [],
      });
    }
  });

  it('framed: reports a bad count and resynchronises on the next line', () => {
    const { messages, errors } = decode('framed', 'jobs\nnope\njobs\n1\nok\n');
    expect(messages).toEqual([{ topic: 'jobs', data: 'ok' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'FRAME_DECODE', line: 'nope' });
  });

  it('json: parses objects and rejects bad lines', () => {
    const { messages, errors } = decode('json', '{"topic":"t","data":"a\\nb","id":"7","attempt":2}\nnot json\n{"topic":1}\n{"topic":"u","data":""}');
    expect(messages).toEqual([{ topic: 't', data: 'a\nb', id: '7', attempt: 2 }, { topic: 'u', data: '' }]);
    expect(errors.map((e) => e.line)).toEqual(['not json', '{"topic":1}']);
  });

  it('payload: every line is a message without topic', () => {
    expect(decode('payload', 'a\n\nb').messages).toEqual([{ topic: '', data: 'a' }, { topic: '', data: '' }, { topic: '', data: 'b' }]);
  });
});
