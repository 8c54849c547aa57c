import { describe, expect, test } from 'vitest';
import { ConfigError } from './index.js';
import { at, load } from './load-from-memory.case.js';

const TASK = ['[tasks.worker]', 'command = "w"'];

function problems(lines: string[], env?: Record<string, string>): string[] {
  try {
    load([...TASK, ...lines].join('\n'), {}, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected the config to be invalid');
}

describe('[bus]', () => {
  test('absent: the in-process bus (bus is null)', () => {
    expect(load(TASK.join('\n')).bus).toBeNull();
  });

  test('a full table resolves with durations in ms and paths against the tasks.toml directory', () => {
    const text = [
      ...TASK,
      '[bus]',
      'url = ["nats://n1:4222", "nats://n2:4222"]',
      'project = "shop"',
      'instance = "web-1"',
      'lease = "2s"',
      'storage = "memory"',
      'replicas = 3',
      'publish_window = 1',
      'instance_ttl = "10m"',
      'connect_timeout = "1500ms"',
      'creds = "secrets/app.creds"',
      'tls = { ca = "ca.pem", cert = "c.pem", key = "k.pem" }',
    ].join('\n');
    expect(load(text).bus).toEqual({
      urls: ['nats://n1:4222', 'nats://n2:4222'],
      project: 'shop',
      instance: 'web-1',
      leaseMs: 2000,
      storage: 'memory',
      replicas: 3,
      publishWindow: 1,
      instanceTtlMs: 600_000,
      connectTimeoutMs: 1500,
      tls: { caFile: at('ca.pem'), certFile: at('c.pem'), keyFile: at('k.pem') },
      credsFile: at('secrets/app.creds'),
    });
  });

  test('defaults: one url string, no instance (the host name at start), no tls, no creds', () => {
    const bus = load([...TASK, '[bus]', 'url = "nats://127.0.0.1:4222"', 'project = "p"'].join('\n')).bus;
    expect(bus).toEqual({ urls: ['nats://127.0.0.1:4222'], project: 'p', instance: null, leaseMs: 30_000, storage: 'file', replicas: 1, publishWindow: 1024, instanceTtlMs: 3_600_000, connectTimeoutMs: 5000, tls: null, credsFile: null });
  });

  test('url may come from ${VAR}', () => {
    expect(load([...TASK, '[bus]', 'url = "${NATS_URL}"', 'project = "p"'].join('\n'), {}, { NATS_URL: 'nats://h:1' }).bus?.urls).toEqual(['nats://h:1']);
  });

  test('project is required with url', () => {
    expect(problems(['[bus]', 'url = "nats://h:4222"'])).toEqual(['tasks.toml:3:2 bus: missing required key "project" (it is required with url): add project = "NAME", the same on every instance of this stack']);
  });

  test('secret keys are errors that name the environment variable, and never echo the value', () => {
    const out = problems(['[bus]', 'url = "nats://h:4222"', 'project = "p"', 'token = "s3cr3t"', 'password = "hunter22"', 'user = "bob"']);
    expect(out).toEqual([
      'tasks.toml:6:1 bus.token: secrets are never read from tasks.toml: remove "token" and set NATS_TOKEN in the orchestrator\'s environment',
      'tasks.toml:7:1 bus.password: secrets are never read from tasks.toml: remove "password" and set NATS_PASSWORD in the orchestrator\'s environment',
      'tasks.toml:8:1 bus.user: secrets are never read from tasks.toml: remove "user" and set NATS_USER in the orchestrator\'s environment',
    ]);
    expect(out.join('\n')).not.toMatch(/s3cr3t|hunter22|bob/);
  });

  test('bad values say what was expected; URL userinfo is redacted in the message', () => {
    expect(
      problems(['[bus]', 'url = "http://u:hunter22@h"', 'project = "my_shop"', 'instance = "a.b"', 'storage = "disk"', 'replicas = 7', 'lease = "500ms"', 'tls = { ca = "a", crt = "b" }']),
    ).toEqual([
      'tasks.toml:4:1 bus.url: expected a nats:// or tls:// URL such as "nats://127.0.0.1:4222", got "http://***@h"',
      'tasks.toml:5:1 bus.project: expected a project name made of letters, digits and "-", starting with a letter or digit (no "_" or "."), got "my_shop"',
      'tasks.toml:6:1 bus.instance: expected an instance name made of letters, digits and "-", starting with a letter or digit (no "_" or "."), got "a.b"',
      'tasks.toml:7:1 bus.storage: expected one of "file", "memory", got "disk" (string)',
      'tasks.toml:8:1 bus.replicas: expected an integer from 1 to 5, got 7 (number)',
      'tasks.toml:10:19 bus.tls.crt: unknown key, did you mean "cert"?',
    ]);
  });

  test('an unknown [bus] key suggests a [bus] key; a lease under 1s and a cert without key are errors', () => {
    expect(problems(['[bus]', 'url = "nats://h:4222"', 'project = "p"', 'projet = "p"'])).toEqual(['tasks.toml:6:1 bus.projet: unknown key, did you mean "project"?']);
    expect(problems(['[bus]', 'url = "nats://h:4222"', 'project = "p"', 'lease = "500ms"', 'tls = { cert = "c.pem" }'])).toEqual([
      'tasks.toml:6:1 bus.lease: expected at least "1s" (it is renewed every lease/3), got "500ms"',
      'tasks.toml:7:9 bus.tls.cert: a client certificate needs both cert and key: add key',
    ]);
  });
});
