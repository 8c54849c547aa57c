import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientFrom, outputFormat, parseScaleArgs } from './control-args.js';
import { formatAge, formatTable } from './table.js';

describe('parseScaleArgs', () => {
  it('reads TASK=N pairs', () => {
    expect(parseScaleArgs(['worker=5', 'web=0'])).toEqual({ worker: 5, web: 0 });
  });

  it.each([[[]], [['worker']], [['worker=-1']], [['worker=2.5']], [['w=1', 'w=2']]])('rejects %j', (args) => {
    expect(() => parseScaleArgs(args)).toThrow(/scale:/);
  });
});

describe('clientFrom', () => {
  it('prefers --socket, then -f, then ORCHESTRATOR_SOCKET', () => {
    expect(clientFrom({ socket: '/tmp/x.sock' }, {}).describe()).toBe('/tmp/x.sock');
    expect(clientFrom({ file: '/srv/app/tasks.toml' }, { ORCHESTRATOR_SOCKET: '/tmp/pod.sock' }).describe()).toBe('/srv/app/.orchestrator/control.sock');
    expect(clientFrom({}, { ORCHESTRATOR_SOCKET: '/tmp/pod.sock' }).describe()).toBe('/tmp/pod.sock');
  });

  it('needs a token for --api', () => {
    expect(() => clientFrom({ api: '127.0.0.1:7070' }, {})).toThrow(/ORCHESTRATOR_TOKEN/);
    expect(clientFrom({ api: '127.0.0.1:7070' }, { ORCHESTRATOR_TOKEN: 't' }).describe()).toBe('127.0.0.1:7070');
  });
});

describe('output helpers', () => {
  it('accepts table and json only', () => {
    expect(outputFormat(undefined)).toBe('table');
    expect(outputFormat('json')).toBe('json');
    expect(() => outputFormat('yaml')).toThrow(/-o/);
  });

  it('formats ages like kubectl', () => {
    expect([5_000, 60_000, 192_000, 7_500_000, 90_000_000].map(formatAge)).toEqual(['5s', '1m', '3m12s', '2h5m', '1d1h']);
  });

  it('aligns columns', () => {
    expect(formatTable(['NAME', 'PID'], [['worker-10', '1'], ['w', '22']])).toBe('NAME        PID\nworker-10   1\nw           22');
  });
});

describe('clientFrom --api without ORCHESTRATOR_TOKEN', () => {
  it('reads the token file beside the socket of -f tasks.toml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-args-'));
    expect(() => clientFrom({ api: '127.0.0.1:7070', file: join(dir, 'tasks.toml') }, {})).toThrow(`no ${join(dir, '.orchestrator', 'api-token')}`);
    mkdirSync(join(dir, '.orchestrator'));
    writeFileSync(join(dir, '.orchestrator', 'api-token'), '{"host":"127.0.0.1","port":7070,"token":"t"}\n', { mode: 0o600 });
    expect(clientFrom({ api: '127.0.0.1:7070', file: join(dir, 'tasks.toml') }, {}).describe()).toBe('127.0.0.1:7070');
    expect(() => clientFrom({ api: '127.0.0.1:7071', file: join(dir, 'tasks.toml') }, {})).toThrow(/holds the token of 127\.0\.0\.1:7070/);
  });
});
