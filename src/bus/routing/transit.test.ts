import { describe, expect, it } from 'vitest';
import { framedText, payloadText } from '../../protocol/encode.js';
import { Transit } from './transit.js';

describe('Transit', () => {
  it('gives the same text as the encoders, for every shape of data, across topic changes', () => {
    const transit = new Transit();
    const cases: [string, string][] = [
      ['jobs', 'x'],
      ['jobs', 'y z'],
      ['jobs', ''],
      ['jobs', 'a\nb'],
      ['jobs.result', 'x'],
      ['jobs', '€ ü'],
      ['jobs', '\n'],
      ['other', 'x'],
    ];
    for (const [topic, data] of cases) {
      transit.reset(topic, data);
      expect(transit.text('framed')).toBe(framedText(topic, data));
      expect(transit.text('payload')).toBe(payloadText(data));
    }
  });

  it('encodes once per message and format, and forgets the text on reset', () => {
    const transit = new Transit();
    transit.reset('jobs', 'a');
    const first = transit.text('framed');
    expect(transit.text('framed')).toBe(first);
    transit.reset('jobs', 'b');
    expect(transit.text('framed')).toBe('jobs\n1\nb\n');
    expect(transit.text('payload')).toBe('b\n');
  });
});
