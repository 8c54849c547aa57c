import { describe, expect, it } from 'vitest';
import { parseTokenFile, tokenFor } from './token-file.js';

const file = (content: object): (() => string) => () => JSON.stringify(content);
const failing = (code: string) => (): string => {
  throw Object.assign(new Error(`${code}: failed`), { code });
};

describe('tokenFor', () => {
  it('gives the token only for the address it was issued for (localhost = any loopback)', () => {
    const read = file({ host: '127.0.0.1', port: 7070, token: 't0k' });
    expect(tokenFor({ host: '127.0.0.1', port: 7070 }, '/p', read)).toBe('t0k');
    expect(tokenFor({ host: 'localhost', port: 7070 }, '/p', read)).toBe('t0k');
    expect(() => tokenFor({ host: '127.0.0.1', port: 7071 }, '/p', read)).toThrow('/p holds the token of 127.0.0.1:7070, not of 127.0.0.1:7071');
    expect(() => tokenFor({ host: '::1', port: 7070 }, '/p', read)).toThrow(/not of \[::1\]:7070/);
  });

  it('is null without a file, and a clear error for an unreadable or foreign one', () => {
    expect(tokenFor({ host: '127.0.0.1', port: 1 }, '/p', failing('ENOENT'))).toBeNull();
    expect(() => tokenFor({ host: '127.0.0.1', port: 1 }, '/p', failing('EACCES'))).toThrow('cannot read the API token file /p: permission denied');
    expect(() => tokenFor({ host: '127.0.0.1', port: 1 }, '/p', () => 'secret')).toThrow('/p is not an API token file');
  });
});

describe('parseTokenFile', () => {
  it('needs host, port and a non-empty token', () => {
    expect(parseTokenFile('{"host":"::1","port":1,"token":"x"}')).toEqual({ host: '::1', port: 1, token: 'x' });
    expect(parseTokenFile('{"host":"::1","port":1,"token":""}')).toBeNull();
    expect(parseTokenFile('{"host":"::1","token":"x"}')).toBeNull();
  });
});
