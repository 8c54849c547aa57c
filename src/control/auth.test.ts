import { describe, expect, it } from 'vitest';
import { checkBrowserSafety, hostAllowed, type HostPolicy } from './auth.js';
import type { HttpError } from './errors.js';

const local: HostPolicy = { port: 7070, bound: '127.0.0.1', allowRemote: false };

function refusal(method: string, headers: { host?: string; origin?: string }, policy = local): string | null {
  try {
    checkBrowserSafety(method, headers, policy);
    return null;
  } catch (error) {
    return `${(error as HttpError).status} ${(error as HttpError).code}`;
  }
}

describe('hostAllowed', () => {
  it('accepts loopback names with the listener port only', () => {
    for (const host of ['127.0.0.1:7070', 'localhost:7070', 'LOCALHOST:7070', '[::1]:7070']) expect(hostAllowed(host, local)).toBe(true);
    for (const host of ['127.0.0.1:7071', '127.0.0.1', 'evil.example:7070', 'localhost.evil.example:7070', '127.0.0.2:7070', '', 'x', '[::1]', '127.0.0.1:7070:1']) expect(hostAllowed(host, local)).toBe(false);
  });

  it('with --api-allow-remote, also the bound address, and any IP literal on a wildcard bind, never a name', () => {
    expect(hostAllowed('192.168.1.5:7070', { port: 7070, bound: '192.168.1.5', allowRemote: true })).toBe(true);
    expect(hostAllowed('10.0.0.9:7070', { port: 7070, bound: '192.168.1.5', allowRemote: true })).toBe(false);
    const wildcard: HostPolicy = { port: 7070, bound: '0.0.0.0', allowRemote: true };
    expect(hostAllowed('10.0.0.9:7070', wildcard)).toBe(true);
    expect(hostAllowed('[fe80::1]:7070', { ...wildcard, bound: '::' })).toBe(true);
    expect(hostAllowed('myhost.lan:7070', wildcard)).toBe(false);
  });
});

describe('checkBrowserSafety', () => {
  it('refuses a foreign Host (DNS rebinding) before anything else', () => {
    expect(refusal('GET', { host: 'evil.example:7070', origin: 'http://evil.example:7070' })).toBe('403 FORBIDDEN_HOST');
    expect(refusal('GET', {})).toBe('403 FORBIDDEN_HOST');
  });

  it('refuses an Origin other than http://<Host>; no Origin (CLI, curl) passes', () => {
    expect(refusal('GET', { host: '127.0.0.1:7070' })).toBeNull();
    expect(refusal('POST', { host: '127.0.0.1:7070', origin: 'http://127.0.0.1:7070' })).toBeNull();
    expect(refusal('POST', { host: 'localhost:7070', origin: 'http://LOCALHOST:7070' })).toBeNull();
    expect(refusal('POST', { host: '127.0.0.1:7070', origin: 'http://evil.example' })).toBe('403 FORBIDDEN_ORIGIN');
    expect(refusal('POST', { host: '127.0.0.1:7070', origin: 'http://localhost:7070' })).toBe('403 FORBIDDEN_ORIGIN');
    expect(refusal('POST', { host: '127.0.0.1:7070', origin: 'null' })).toBe('403 FORBIDDEN_ORIGIN');
    expect(refusal('POST', { host: '127.0.0.1:7070', origin: 'https://127.0.0.1:7070' })).toBe('403 FORBIDDEN_ORIGIN');
  });

  it('answers OPTIONS (a CORS preflight) with 405', () => {
    expect(refusal('OPTIONS', { host: '127.0.0.1:7070', origin: 'http://127.0.0.1:7070' })).toBe('405 METHOD_NOT_ALLOWED');
  });
});
