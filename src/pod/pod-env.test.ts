import { describe, expect, test } from 'vitest';
import { load } from '../config/load-from-memory.case.js';
import { buildPodEnv } from './pod-env.js';

const id = { task: 'web', name: 'web-0', index: 0, podId: 'id-0' };
const task = (toml: string) => {
  const [spec] = load(toml).tasks;
  if (spec === undefined) throw new Error('no task');
  return spec;
};

describe('buildPodEnv', () => {
  test("passes the orchestrator's environment on, but not its API token", () => {
    const env = buildPodEnv({ PATH: '/bin', HOME: '/root', ORCHESTRATOR_TOKEN: 'sesame', UNSET: undefined }, task('[tasks.web]\ncommand = "serve"'), id, '/cfg');
    expect(env.ORCHESTRATOR_TOKEN).toBeUndefined();
    expect(Object.values(env)).not.toContain('sesame');
    expect([env.PATH, env.HOME, 'UNSET' in env]).toEqual(['/bin', '/root', false]);
  });

  test("keeps the orchestrator's NATS credentials from pods", () => {
    const inherited = { PATH: '/bin', NATS_TOKEN: 't0ken', NATS_USER: 'alice', NATS_PASSWORD: 'pa55', NATS_CREDS: '/secret/app.creds', NATS_URL: 'nats://h:4222' };
    const env = buildPodEnv(inherited, task('[tasks.web]\ncommand = "serve"'), id, '/cfg');
    expect(Object.keys(env).filter((key) => key.startsWith('NATS_'))).toEqual(['NATS_URL']);
    expect(Object.values(env).join('\n')).not.toMatch(/t0ken|alice|pa55|secret/);
  });

  test('a task that sets the token in its own env gets it', () => {
    const env = buildPodEnv({ ORCHESTRATOR_TOKEN: 'sesame' }, task('[tasks.web]\ncommand = "serve"\nenv = { ORCHESTRATOR_TOKEN = "for-this-pod" }'), id, '/cfg');
    expect(env.ORCHESTRATOR_TOKEN).toBe('for-this-pod');
  });

  test('the ORCHESTRATOR_* identity variables win over the task env', () => {
    const env = buildPodEnv({}, task('[tasks.web]\ncommand = "serve"\nenv = { ORCHESTRATOR_POD = "fake" }'), id, '/cfg');
    expect([env.ORCHESTRATOR_POD, env.ORCHESTRATOR_TASK, env.ORCHESTRATOR_REPLICA, env.ORCHESTRATOR_CONFIG_DIR]).toEqual(['web-0', 'web', '0', '/cfg']);
  });
});
