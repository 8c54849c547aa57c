import { describe, expect, it } from 'vitest';
import { HeldMessage, parseAckSubject } from './held-message.js';

describe('parseAckSubject', () => {
  it('reads the delivery count and stream sequence of a 2.9 ack subject', () => {
    expect(parseAckSubject('$JS.ACK.ORCH_p_w.w.3.17.42.1796195691526477821.5')).toEqual({ deliveryCount: 3, streamSeq: 17 });
  });

  it('reads the 2.10+ form with domain, account hash and a trailing token', () => {
    expect(parseAckSubject('$JS.ACK._.AHASH.ORCH_p_w.w.1.9.9.1796195691526477821.0.x1')).toEqual({ deliveryCount: 1, streamSeq: 9 });
  });

  it('refuses anything else', () => {
    for (const reply of ['', '_INBOX.abc', '$JS.ACK.S.d.1.2', '$JS.NAK.S.d.1.2.3.4.5', '$JS.ACK.S.d.x.2.3.4.5', '$JS.ACK.S.d.0.2.3.4.5']) {
      expect(parseAckSubject(reply)).toBeNull();
    }
  });
});

describe('HeldMessage', () => {
  it('settles with the plain JetStream ack payloads on its reply subject', () => {
    const sent: string[] = [];
    const held = new HeldMessage({ data: new Uint8Array([1]), respond: (data) => (sent.push(new TextDecoder().decode(data as Uint8Array)), true) }, { deliveryCount: 1, streamSeq: 4 });
    held.working();
    held.ack();
    held.nak();
    held.term();
    expect(sent).toEqual(['+WPI', '+ACK', '-NAK', '+TERM']);
    expect(held.seq).toBe(4);
  });
});
