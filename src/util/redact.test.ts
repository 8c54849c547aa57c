import { describe, expect, it } from 'vitest';
import { redactSecrets, redactText, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('replaces user and password, keeping scheme, host and port', () => {
    expect(redactUrl('nats://user:pass@host:4222')).toBe('nats://***@host:4222');
  });
  it('replaces a token-only userinfo and keeps tls://', () => {
    expect(redactUrl('tls://s3cr3t-token@nats.example.com:4443')).toBe('tls://***@nats.example.com:4443');
  });
  it('handles an "@" inside the password (the host follows the last one)', () => {
    expect(redactUrl('nats://u:p@ss@host:4222')).toBe('nats://***@host:4222');
  });
  it('leaves a URL without userinfo and plain text alone', () => {
    expect(redactUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(redactUrl('mail me at a@b.c')).toBe('mail me at a@b.c');
  });
});

describe('redactText', () => {
  it('redacts every URL in a message, including inside quotes and lists', () => {
    const text = 'cannot connect to "nats://a:b@h1:4222", nats://c:d@h2:4222 (ECONNREFUSED)';
    expect(redactText(text)).toBe('cannot connect to "nats://***@h1:4222", nats://***@h2:4222 (ECONNREFUSED)');
  });
  it('keeps a path after the host', () => {
    expect(redactText('ws://x:y@h:80/path?q=1')).toBe('ws://***@h:80/path?q=1');
  });
});

describe('redactSecrets', () => {
  it('removes each secret value and any URL userinfo', () => {
    expect(redactSecrets('auth failed for token hunter22 at nats://u:hunter22@h:1', ['hunter22'])).toBe('auth failed for token *** at nats://***@h:1');
  });
  it('leaves very short values alone', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c');
  });
});
