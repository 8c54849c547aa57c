import { describe, expect, test } from 'vitest';
import { load } from '../config/load-from-memory.case.js';
import { podCommand, podProbes, renderPodText } from './pod-template.js';
import { buildPodEnv } from './pod-env.js';

const id = (index: number) => ({ task: 'web', name: `web-${index}`, index, podId: `id-${index}` });

describe('per-pod templates', () => {
  const [web] = load(
    [
      '[tasks.web]',
      'command = "serve --name ${ORCHESTRATOR_POD} --id=${ORCHESTRATOR_POD_ID} \'$${ORCHESTRATOR_REPLICA}\'"',
      'cwd = "data/${ORCHESTRATOR_TASK}-${ORCHESTRATOR_REPLICA}"',
      'env = { PORT = "80${ORCHESTRATOR_REPLICA}", PLAIN = "x", N = 3 }',
      'ready = { http = "http://127.0.0.1:80${ORCHESTRATOR_REPLICA}/health" }',
      'alive = { tcp = "127.0.0.1:90${ORCHESTRATOR_REPLICA}" }',
    ].join('\n'),
  ).tasks;
  if (web === undefined) throw new Error('no task');

  test('command, cwd and env get each pod its own values', () => {
    expect(podCommand(web, id(0))).toEqual({ command: ['serve', '--name', 'web-0', '--id=id-0', '${ORCHESTRATOR_REPLICA}'], cwd: `${process.cwd()}/data/web-0` });
    expect(podCommand(web, id(2)).cwd).toBe(`${process.cwd()}/data/web-2`);
    const env = buildPodEnv({}, web, id(2), '/cfg');
    expect([env.PORT, env.PLAIN, env.N, env.ORCHESTRATOR_REPLICA, env.ORCHESTRATOR_POD_ID]).toEqual(['802', 'x', '3', '2', 'id-2']);
  });

  test('probes too', () => {
    expect(podProbes(web, id(1))).toMatchObject({
      ready: { kind: 'probe', probe: { action: { kind: 'http', url: 'http://127.0.0.1:801/health' } } },
      alive: { action: { kind: 'tcp', host: '127.0.0.1', port: 901 } },
    });
  });

  test('a shell command is one template; arrays template item by item', () => {
    const [sh, argv] = load(
      ['[tasks.sh]', 'shell = true', 'command = "echo $ORCHESTRATOR_POD ${ORCHESTRATOR_POD}"', '[tasks.argv]', 'command = ["echo", "r${ORCHESTRATOR_REPLICA}"]', 'ready = { exec = ["test", "${ORCHESTRATOR_REPLICA}"] }'].join('\n'),
    ).tasks;
    expect(podCommand(sh!, { ...id(0), task: 'sh', name: 'sh-0' }).command).toEqual(['/bin/sh', '-c', 'echo $ORCHESTRATOR_POD sh-0']);
    expect(podCommand(argv!, id(4)).command).toEqual(['echo', 'r4']);
    expect(podProbes(argv!, id(4)).ready).toMatchObject({ probe: { action: { kind: 'exec', command: ['test', '4'] } } });
  });

  test('plain strings render as themselves', () => {
    expect(renderPodText('a ${ORCHESTRATOR_POD}', { ORCHESTRATOR_TASK: 't', ORCHESTRATOR_POD: 'p', ORCHESTRATOR_REPLICA: '0', ORCHESTRATOR_POD_ID: 'i' })).toBe('a ${ORCHESTRATOR_POD}');
  });
});
