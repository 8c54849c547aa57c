import { describe, expect, it } from 'vitest';
import { dashboardUrl, listenerAddress, takeUiFlag } from './ui-flags.js';

describe('takeUiFlag', () => {
  it('takes --ui alone, --ui HOST:PORT and --ui=HOST:PORT, leaving everything else', () => {
    expect(takeUiFlag(['tasks.toml', '--ui'])).toEqual({ argv: ['tasks.toml'], ui: { address: null } });
    expect(takeUiFlag(['--ui', 'tasks.toml'])).toEqual({ argv: ['tasks.toml'], ui: { address: null } });
    expect(takeUiFlag(['--ui', '127.0.0.1:7070', '-f', 'x.toml'])).toEqual({ argv: ['-f', 'x.toml'], ui: { address: '127.0.0.1:7070' } });
    expect(takeUiFlag(['--ui', '[::1]:0'])).toEqual({ argv: [], ui: { address: '[::1]:0' } });
    expect(takeUiFlag(['--ui=localhost:9'])).toEqual({ argv: [], ui: { address: 'localhost:9' } });
    expect(takeUiFlag(['--ui', '--watch'])).toEqual({ argv: ['--watch'], ui: { address: null } });
    expect(takeUiFlag(['--watch'])).toEqual({ argv: ['--watch'], ui: null });
  });
});

describe('listenerAddress', () => {
  it('--ui alone is --api 127.0.0.1:0; --ui ADDR is --api ADDR; the same address twice is fine', () => {
    expect(listenerAddress(undefined, { address: null }, false)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(listenerAddress('127.0.0.1:7070', { address: null }, false)).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(listenerAddress(undefined, { address: '127.0.0.1:7071' }, false)).toEqual({ host: '127.0.0.1', port: 7071 });
    expect(listenerAddress('127.0.0.1:7071', { address: '127.0.0.1:7071' }, false)).toEqual({ host: '127.0.0.1', port: 7071 });
    expect(listenerAddress(undefined, null, false)).toBeUndefined();
  });

  it('refuses a --ui address other than --api, and a remote one without --api-allow-remote', () => {
    expect(() => listenerAddress('127.0.0.1:7070', { address: '127.0.0.1:7071' }, false)).toThrow(/--ui 127\.0\.0\.1:7071 and --api 127\.0\.0\.1:7070 differ/);
    expect(() => listenerAddress(undefined, { address: '0.0.0.0:7070' }, false)).toThrow(/not a loopback address.*--api-allow-remote/);
    expect(listenerAddress(undefined, { address: '0.0.0.0:7070' }, true)).toEqual({ host: '0.0.0.0', port: 7070 });
  });
});

describe('dashboardUrl', () => {
  it('points a wildcard bind at loopback', () => {
    expect(dashboardUrl({ host: '127.0.0.1', port: 5 })).toBe('http://127.0.0.1:5/ui/');
    expect(dashboardUrl({ host: '0.0.0.0', port: 5 })).toBe('http://127.0.0.1:5/ui/');
    expect(dashboardUrl({ host: '::1', port: 5 })).toBe('http://[::1]:5/ui/');
  });
});
