import { describe, expect, it } from 'vitest';
import { parseApiAddress } from './address.js';
import { controlSocketPath } from './socket-path.js';

describe('parseApiAddress', () => {
  it('accepts loopback addresses', () => {
    expect(parseApiAddress('127.0.0.1:7070', false)).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(parseApiAddress('[::1]:0', false)).toEqual({ host: '::1', port: 0 });
  });

  it('refuses other addresses unless allowed', () => {
    expect(() => parseApiAddress('0.0.0.0:7070', false)).toThrow(/--api-allow-remote/);
    expect(parseApiAddress('0.0.0.0:7070', true)).toEqual({ host: '0.0.0.0', port: 7070 });
  });

  it.each(['7070', 'host:7070', '127.0.0.1:99999', '127.0.0.1:'])('rejects %s', (text) => {
    expect(() => parseApiAddress(text, true)).toThrow(/--api/);
  });
});

describe('controlSocketPath', () => {
  it('lives next to tasks.toml when short enough', () => {
    expect(controlSocketPath('/srv/app', {}, 1000)).toEqual({ path: '/srv/app/.orchestrator/control.sock', fallback: false, tokenPath: '/srv/app/.orchestrator/api-token' });
  });

  it('falls back to a stable short path for deep directories', () => {
    const deep = `/home/user/${'very-long-directory-name/'.repeat(5)}project`;
    const a = controlSocketPath(deep, { XDG_RUNTIME_DIR: '/run/user/1000' }, 1000);
    expect(a.fallback).toBe(true);
    expect(a.path).toMatch(/^\/run\/user\/1000\/orchestrator\/[0-9a-f]{16}\.sock$/);
    expect(a.tokenPath).toBe(a.path.replace(/\.sock$/, '.api-token'));
    expect(controlSocketPath(deep, { XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toEqual(a);
    expect(controlSocketPath(deep, {}, 1000).path).toMatch(/^\/tmp\/orchestrator-1000\/[0-9a-f]{16}\.sock$/);
  });
});
