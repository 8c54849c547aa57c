import { expect, test } from 'vitest';
import { loadConfig } from './load.js';
import { formatSummary } from './summary.js';

test('one aligned line per task', () => {
  const toml = [
    '[tasks.worker]',
    'command = "python3 examples/worker.py"',
    'replicas = 3',
    'mode = "round_robin"',
    'subscribe = ["jobs", "images.>"]',
    '[tasks.web]',
    'command = ["node", "my server.mjs"]',
    'cwd = "services/web"',
    'show_stdout = false',
    '[tasks.logs]',
    'command = "tail -f log | grep \'x y\'"',
    'shell = true',
    'replicas = 0',
    'restart = "never"',
    'ack_timeout = "30s"',
    'depends_on = { web = "ready", worker = "started" }',
    'ready = { log = "up" }',
    'alive = { tcp = "127.0.0.1:80" }',
  ].join('\n');
  const config = loadConfig('/proj/tasks.toml', { env: {}, readFile: () => toml });
  expect(formatSummary(config).split('\n')).toEqual([
    "worker  3 replicas  restart=always  round_robin on jobs, images.>  python3 examples/worker.py",
    "web     1 replica   restart=always  no subscriptions               node 'my server.mjs'  (cwd=services/web, stdout hidden)",
    "logs    0 replicas  restart=never   no subscriptions               sh -c 'tail -f log | grep '\\''x y'\\'''  (ack_timeout=30s, after web ready, worker started, ready=log, alive=tcp)",
  ]);
});
