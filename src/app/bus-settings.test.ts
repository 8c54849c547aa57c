import { describe, expect, test } from 'vitest';
import type { BusConfig } from '../config/types.js';
import { BusSettingsError, busChangeWarning, describeBus, explicitMaxMessageSize, hostInstance, resolveBusSettings } from './bus-settings.js';

const CONFIG: BusConfig = {
  urls: ['nats://alice:hunter22@n1:4222'],
  project: 'shop',
  instance: null,
  leaseMs: 2000,
  storage: 'memory',
  replicas: 3,
  publishWindow: 16,
  instanceTtlMs: 60_000,
  connectTimeoutMs: 1500,
  tls: null,
  credsFile: null,
};

const error = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    if (e instanceof BusSettingsError) return e.message;
    throw e;
  }
  throw new Error('expected a BusSettingsError');
};

describe('resolveBusSettings', () => {
  test('no [bus] table and no flag: the in-process bus', () => {
    expect(resolveBusSettings(null, {}, {}, 'h')).toBeNull();
  });

  test('[bus] resolves with the host name as instance; URL credentials become the auth and are redacted for display', () => {
    expect(resolveBusSettings(CONFIG, {}, {}, 'web-1.example.com')).toEqual({
      kind: 'nats',
      servers: ['nats://n1:4222'],
      displayServers: ['nats://***@n1:4222'],
      project: 'shop',
      instance: 'web-1-example-com',
      leaseMs: 2000,
      storage: 'memory',
      replicas: 3,
      publishWindow: 16,
      instanceTtlMs: 60_000,
      connectTimeoutMs: 1500,
      auth: { kind: 'user', user: 'alice', pass: 'hunter22' },
      tls: null,
    });
  });

  test('a token in the URL, percent-decoding, several URLs with one userinfo, and conflicts', () => {
    const s = (urls: string[], env: Record<string, string> = {}) => resolveBusSettings({ ...CONFIG, urls }, {}, env, 'h');
    expect([s(['tls://t0k3n@h:1'])?.auth, s(['tls://t0k3n@h:1'])?.servers]).toEqual([{ kind: 'token', token: 't0k3n' }, ['tls://h:1']]);
    expect(s(['nats://a%40b:p%3Aw@h:1'])?.auth).toEqual({ kind: 'user', user: 'a@b', pass: 'p:w' });
    expect(s(['nats://u:p@h1:1', 'nats://u:p@h2:1'])?.servers).toEqual(['nats://h1:1', 'nats://h2:1']);
    expect(error(() => s(['nats://u:p@h1:1', 'nats://h2:1']))).toBe(
      'the bus URLs carry different credentials (nats://***@h1:1, nats://h2:1): give them the same userinfo, or none and set NATS_USER/NATS_PASSWORD or NATS_TOKEN',
    );
    expect(error(() => s(['nats://u:p@h1:1'], { NATS_TOKEN: 'x' }))).toBe('more than one NATS credential is set (userinfo in the URL, NATS_TOKEN): keep one');
  });

  test('flags override the file; --bus memory forces the in-process bus', () => {
    const s = resolveBusSettings(CONFIG, { bus: 'nats://a:1,nats://b:2', busProject: 'other', instance: 'b' }, {}, 'h');
    expect([s?.servers, s?.project, s?.instance, s?.leaseMs]).toEqual([['nats://a:1', 'nats://b:2'], 'other', 'b', 2000]);
    expect(resolveBusSettings(CONFIG, { bus: 'memory' }, {}, 'h')).toBeNull();
  });

  test('--bus without a [bus] table uses the defaults', () => {
    const s = resolveBusSettings(null, { bus: 'nats://127.0.0.1:4222', busProject: 'p', instance: 'a' }, {}, 'h');
    expect([s?.leaseMs, s?.storage, s?.replicas, s?.publishWindow, s?.instanceTtlMs, s?.connectTimeoutMs]).toEqual([30_000, 'file', 1, 1024, 3_600_000, 5000]);
  });

  test('bad flags name the flag and the fix, never echoing userinfo', () => {
    expect(error(() => resolveBusSettings(null, { bus: 'http://u:hunter22@h' }, {}, 'h'))).toBe(
      '--bus: expected "memory" or a nats:// or tls:// URL such as nats://127.0.0.1:4222 (several separated by ","), got "http://***@h"',
    );
    expect(error(() => resolveBusSettings(null, { bus: 'nats://h:1' }, {}, 'h'))).toBe(
      'a NATS bus needs a project: add --bus-project NAME or project = "NAME" to the [bus] table (the same on every instance of this stack)',
    );
    expect(error(() => resolveBusSettings(null, { bus: 'nats://h:1', busProject: 'a_b' }, {}, 'h'))).toBe('--bus-project: expected letters, digits and "-", starting with a letter or digit (no "_" or "."), got "a_b"');
    expect(error(() => resolveBusSettings(null, { instance: 'a' }, {}, 'h'))).toBe('--instance needs a NATS bus: add --bus nats://HOST:4222 or a [bus] table with url to tasks.toml');
  });

  test('credentials come from the environment only; two kinds at once is an error', () => {
    const auth = (env: Record<string, string>, creds: string | null = null) => resolveBusSettings({ ...CONFIG, urls: ['nats://n1:4222'], credsFile: creds }, {}, env, 'h')?.auth;
    expect(auth({ NATS_TOKEN: 't0ken' })).toEqual({ kind: 'token', token: 't0ken' });
    expect(auth({ NATS_USER: 'u', NATS_PASSWORD: 'p' })).toEqual({ kind: 'user', user: 'u', pass: 'p' });
    expect(auth({ NATS_CREDS: '/k/app.creds' })).toEqual({ kind: 'creds', credsFile: '/k/app.creds' });
    expect(auth({}, '/etc/app.creds')).toEqual({ kind: 'creds', credsFile: '/etc/app.creds' });
    expect(auth({ NATS_TOKEN: '' })).toEqual({ kind: 'none' });
    expect(error(() => auth({ NATS_USER: 'u' }))).toBe('NATS_USER is set without NATS_PASSWORD: set both, or neither');
    expect(error(() => auth({ NATS_TOKEN: 't0ken', NATS_CREDS: '/x' }))).toBe('more than one NATS credential is set (NATS_TOKEN, NATS_CREDS): keep one');
  });
});

describe('hostInstance', () => {
  test('every character a NATS name cannot carry becomes "-"', () => {
    expect(hostInstance('web-1.example.com')).toBe('web-1-example-com');
    expect(hostInstance('_box__7_')).toBe('box-7');
    expect(hostInstance('...')).toBe('orchestrator');
  });
});

describe('describeBus', () => {
  test('names servers redacted and the kind of credential, never its value', () => {
    const s = resolveBusSettings({ ...CONFIG, urls: ['nats://n1:4222'] }, {}, { NATS_TOKEN: 'sup3rsecret' }, 'a');
    const text = describeBus(s);
    expect(text).toBe('bus: NATS nats://n1:4222, project shop, instance a (lease 2s, memory storage, 3 replicas, token from NATS_TOKEN)');
    expect(describeBus(resolveBusSettings(CONFIG, {}, {}, 'a'))).toBe('bus: NATS nats://***@n1:4222, project shop, instance a (lease 2s, memory storage, 3 replicas, credentials from the URL)');
    expect(text).not.toMatch(/hunter22|sup3rsecret|alice/);
    expect(describeBus(null)).toBe('bus: in-process');
  });
});

describe('busChangeWarning', () => {
  test('null when unchanged, a restart hint otherwise', () => {
    expect(busChangeWarning(CONFIG, { ...CONFIG })).toBeNull();
    expect(busChangeWarning(null, null)).toBeNull();
    expect(busChangeWarning(CONFIG, { ...CONFIG, leaseMs: 5000 })).toMatch(/restart the orchestrator/);
  });
});

describe('explicitMaxMessageSize', () => {
  test('only sizes other than the default are checked against the server', () => {
    expect(explicitMaxMessageSize([{ maxMessageSize: 1024 * 1024 }, { maxMessageSize: 1024 * 1024 }])).toBeUndefined();
    expect(explicitMaxMessageSize([{ maxMessageSize: 1024 * 1024 }, { maxMessageSize: 64 * 1024 }, { maxMessageSize: 4 * 1024 * 1024 }])).toBe(4 * 1024 * 1024);
  });
});
