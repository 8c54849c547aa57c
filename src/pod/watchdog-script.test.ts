// Runs the watchdog script in a real /bin/sh, with a recorder in place of the Node reaper: what the
// reaper would be fed on a crash is what the recorder prints. The order of the fed lines carries no
// meaning (the shell groups them by pgid), so they are compared sorted, after the recorder's own lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WATCHDOG_SHELL, watchdogArgs } from './watchdog-script.js';

const dir = mkdtempSync(join(tmpdir(), 'watchdog-script-'));
const recorder = join(dir, 'record.sh');
writeFileSync(recorder, 'printf "reaper %s %s\\n" "$1" "$2"\ncat\n');
// Stands in for `node` on PATH: called as `node REAPER STATE PID`.
writeFileSync(join(dir, 'node'), '#!/bin/sh\nprintf "path-node %s\\n" "$1"\nexec /bin/sh "$@"\n');
chmodSync(join(dir, 'node'), 0o755);

interface Watchdog {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; lines: string[] }>;
}

function startIn(shell: string, node = '/bin/sh', env: NodeJS.ProcessEnv = process.env): Watchdog {
  const child = spawn(shell, watchdogArgs(node, recorder, '/state/pods.json', 4242), { stdio: ['pipe', 'pipe', 'inherit'], env });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; lines: string[] }>((resolve) =>
    child.once('close', (code) => {
      const all = out.split('\n').filter((l) => l !== '');
      const fed = (l: string): boolean => /^[+?] /.test(l);
      resolve({ code, lines: [...all.filter((l) => !fed(l)), ...all.filter(fed).sort()] });
    }),
  );
  return { child, done };
}

/** Feeds `input` and closes the pipe, as an orchestrator dying after writing it would. */
async function crashAfterIn(shell: string, input: string, node?: string, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[] }> {
  const watchdog = startIn(shell, node, env);
  watchdog.child.stdin!.end(input);
  return watchdog.done;
}

function status(pid: number, field: string): string {
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
}

/** True once the shell has run the script's first command (it ignores HUP, INT and TERM). */
function running(pid: number): boolean {
  // SigIgn is a hex mask, bit n-1 for signal n: HUP 1, INT 2, TERM 15.
  return (BigInt(`0x${status(pid, 'SigIgn') || '0'}`) & 0x4003n) === 0x4003n;
}

/** Bytes the process has read so far, from any file. */
const bytesRead = (pid: number): number => Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);

async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// /bin/sh is dash on Debian and bash on other distributions: the script must hold in both.
const SHELLS = [...new Set([WATCHDOG_SHELL, '/bin/bash'].filter((sh) => existsSync(sh)).map((sh) => realpathSync(sh)))];

describe.each(SHELLS)('watchdog script in %s', (shell) => {
  const start = (node?: string, env?: NodeJS.ProcessEnv): Watchdog => startIn(shell, node, env);
  const crashAfter = (input: string, node?: string, env?: NodeJS.ProcessEnv): ReturnType<typeof crashAfterIn> => crashAfterIn(shell, input, node, env);

  it('on a crash runs the reaper with the state file and pid, fed only what is still true', async () => {
    const input = ['? a', '? b', '+ 10 s1 a', '! b', '? c', '+ 11 s2 c', '- 10', '? d', ''].join('\n');
    const { code, lines } = await crashAfter(input);
    expect(code).toBe(0);
    expect(lines).toEqual(['reaper /state/pods.json 4242', '+ 11 s2 c', '? d']);
  });

  it('keys match whole: pgid 1 is not 12, id a is not ab; a second + for a pgid replaces the first', async () => {
    const input = ['+ 12 s12 x', '+ 1 s1 y', '- 1', '? ab', '? a', '! a', '+ 7 old z', '+ 7 new w', ''].join('\n');
    const { lines } = await crashAfter(input);
    expect(lines).toEqual(['reaper /state/pods.json 4242', '+ 12 s12 x', '+ 7 new w', '? ab']);
  });

  it('groups whose pgids share their last two digits are kept apart', async () => {
    const input = ['+ 142 s1 a', '+ 42 s2 b', '+ 1042 s3 c', '- 42', '+ 9 s4 d', '+ 2 s5 e', '- 9', ''].join('\n');
    expect((await crashAfter(input)).lines).toEqual(['reaper /state/pods.json 4242', '+ 1042 s3 c', '+ 142 s1 a', '+ 2 s5 e']);
  });

  it('ignores a + or - whose pgid is not a number', async () => {
    expect((await crashAfter('+ 0x1f s a\n+ 12a s b\n- \n+ 12 s c\n- 1-2\n')).lines).toEqual(['reaper /state/pods.json 4242', '+ 12 s c']);
  });

  it('variables of the same names in its environment change nothing', async () => {
    const env = { ...process.env, g42: '\n+ 42 s0 stale\n', g: 'x', spawning: '\n? stale\n', groups: 'junk', nl: 'z', list: 'q', k: 'g00' };
    expect((await crashAfter('+ 142 s1 a\n? b\n', undefined, env)).lines).toEqual(['reaper /state/pods.json 4242', '+ 142 s1 a', '? b']);
  });

  it('a line cut short by the crash is dropped', async () => {
    const { lines } = await crashAfter('+ 10 s1 a\n- 10');
    expect(lines).toEqual(['reaper /state/pods.json 4242', '+ 10 s1 a']);
  });

  it('feeds a list larger than a pipe holds (1500 groups) whole', async () => {
    const groups = Array.from({ length: 1500 }, (_, i) => `+ ${10_000 + i} ${90_000 + i} ${i.toString(16).padStart(8, '0')}-5f1c-4b7e-9a3d-0c2e6f8b1a47`);
    const { lines } = await crashAfter(`${groups.join('\n')}\n? last\n`);
    expect(lines).toEqual(['reaper /state/pods.json 4242', ...[...groups, '? last'].sort()]);
  });

  it('bye ends it without running the reaper', async () => {
    expect(await crashAfter('? a\n+ 10 s1 a\nbye\n? b\n')).toEqual({ code: 0, lines: [] });
  });

  it('nothing to reap still runs the reaper, which also reads the state file', async () => {
    expect((await crashAfter('')).lines).toEqual(['reaper /state/pods.json 4242']);
  });

  it('runs node from PATH when the orchestrator\'s node binary is gone', async () => {
    const { lines } = await crashAfter('? a\n', join(dir, 'no-such-node'), { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` });
    expect(lines).toEqual([`path-node ${recorder}`, 'reaper /state/pods.json 4242', '? a']);
  });

  it("the terminal's SIGINT, SIGHUP and SIGTERM do not end it", async () => {
    const watchdog = start();
    const pid = watchdog.child.pid!;
    await until(() => running(pid), 'the shell ignores HUP, INT and TERM');
    for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) watchdog.child.kill(signal);
    watchdog.child.stdin!.end('? a\n');
    expect(await watchdog.done).toEqual({ code: 0, lines: ['reaper /state/pods.json 4242', '? a'] });
  });

  // A shell reads a pipe a byte at a time (it must not read past a line), slowly on a loaded machine:
  // generous deadlines, and no claim about time.
  it('its memory follows the live pods, not the restarts: 10000 restarts of 50 pods', async () => {
    const id = (i: number): string => `${i.toString(16).padStart(8, '0')}-5f1c-4b7e-9a3d-0c2e6f8b1a47`;
    const watchdog = start();
    const pid = watchdog.child.pid!;
    // rchar also counts what the dynamic loader and the shell read as they start: count from when the
    // script runs. From then on only the pipe is read, so once rchar grows by what we wrote, the
    // shell holds all of it.
    await until(() => running(pid), 'the script runs');
    const written = { bytes: bytesRead(pid) };
    const write = async (text: string): Promise<void> => {
      written.bytes += Buffer.byteLength(text);
      await new Promise<void>((resolve) => watchdog.child.stdin!.write(text, () => resolve()));
    };
    const consumed = (): Promise<void> => until(() => bytesRead(pid) >= written.bytes, 'the shell read everything', 45_000);
    const LIVE = 50;
    let setup = '';
    for (let i = 0; i < LIVE; i++) setup += `? ${id(i)}\n+ ${100_000 + i} ${500_000 + i} ${id(i)}\n`;
    await write(setup);
    await consumed();
    const before = Number.parseInt(status(pid, 'VmRSS'), 10);
    // Each restart: the old group goes, a new pod spawns and gets its group.
    for (let batch = 0; batch < 10; batch++) {
      let chunk = '';
      for (let k = 0; k < 1000; k++) {
        const i = LIVE + batch * 1000 + k;
        chunk += `- ${100_000 + i - LIVE}\n? ${id(i)}\n+ ${100_000 + i} ${500_000 + i} ${id(i)}\n`;
      }
      await write(chunk);
    }
    await consumed();
    const after = Number.parseInt(status(pid, 'VmRSS'), 10);
    expect(after).toBeLessThan(5 * 1024);
    expect(after - before).toBeLessThan(512);
    watchdog.child.stdin!.end();
    const { lines } = await watchdog.done;
    const last = LIVE + 10_000;
    const alive = Array.from({ length: LIVE }, (_, k) => `+ ${100_000 + last - LIVE + k} ${500_000 + last - LIVE + k} ${id(last - LIVE + k)}`);
    expect(lines).toEqual(['reaper /state/pods.json 4242', ...alive.sort()]);
  }, 60_000);
});
