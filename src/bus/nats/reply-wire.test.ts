import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReply, encodeReply, parseInbox, qualifyInbox, requesterTask } from './reply-wire.js';

describe('reply addresses', () => {
  it('a qualified inbox names its instance; an unqualified one is local', () => {
    expect(parseInbox(qualifyInbox('host-a', 'web-0#3'))).toEqual({ instance: 'host-a', inbox: 'web-0#3' });
    expect(parseInbox(qualifyInbox('b', '@request-1'))).toEqual({ instance: 'b', inbox: '@request-1' });
    expect(parseInbox('web-0#3')).toEqual({ instance: null, inbox: 'web-0#3' });
  });

  it('an instance part that could not be a subject token is refused (bytes from the bus are untrusted)', () => {
    for (const bad of ['>/x', '*/x', 'a.b/x', '/x', 'a/', 'a b/x', '_x/y']) expect(parseInbox(bad)).toBeNull();
  });

  it('a dropped reply counts for the requester pod\'s task, or for the replier\'s when the requester is local', () => {
    expect(requesterTask('web-api-2#7', 'w-0')).toEqual({ task: 'web-api', pod: 'web-api-2' });
    expect(requesterTask('@request-4', 'pool-1')).toEqual({ task: 'pool', pod: null });
    expect(requesterTask('@request-4', null)).toEqual({ task: '', pod: null });
  });
});

describe('reply wire', () => {
  it('round-trips any reply, newlines and all', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: null }), fc.string(), fc.string(), (inbox, topic, from, inReplyTo, data) => {
        const reply = { inbox, topic, from, inReplyTo, data };
        expect(decodeReply(encodeReply(reply))).toEqual(reply);
      }),
    );
  });

  it('refuses bytes that are not a reply', () => {
    for (const bad of ['', 'no newline', '[1,2]\nd', '["i","t",null]\nd', '["i","t",3,"r"]\nd', '["i","t",null,null]\nd', '{"a":1}\nd', '["i"\nd']) {
      expect(decodeReply(Buffer.from(bad))).toBeNull();
    }
  });
});
