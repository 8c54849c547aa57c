/**
 * What reaches the terminal: pod text with escape sequences and control characters is shown
 * neutralised by run, logs and subscribe; a terminal that hangs up (a real pseudo-terminal) or a
 * stdout pipe that closes stops the run gracefully instead of crashing it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover, socketOf, startRun, verb } from './control-harness.js';
import { CLI, FIXTURES, fx, pidAlive, runCli, tempDir, until, writeConfig, type CliRun } from './harness.js';

const ESC = '\u001b';
// Any C0 control but TAB and LF, DEL, any C1 control.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** The hostile-output.mjs lines between BEGIN and END as a terminal must show them. */
const NEUTRALISED = [
  'title \\e]0;pwned\\a',
  'clip \\e]52;c;ZXZpbA==\\a',
  'link \\e]8;;http://evil.example/\\e\\hidden\\e]8;;\\e\\',
  'clear \\e[2J\\e[H',
  'alt \\e[?1049h',
  'nul a\\0b',
  'cr fake\\rorchestrator | all good',
  'color \\e[31mred\\e[0m',
  'dcs \\eP1$qm\\e\\',
  'csi8 \\x9b2J',
];
const STDERR_NEUTRALISED = 'err \\e[2Kerased';
const COLORED = `color ${ESC}[31mred${ESC}[0m`;
/** The same lines as the pod wrote them (for -o json). */
const RAW = [
  `title ${ESC}]0;pwned\u0007`,
  `clip ${ESC}]52;c;ZXZpbA==\u0007`,
  `link ${ESC}]8;;http://evil.example/${ESC}\\hidden${ESC}]8;;${ESC}\\`,
  `clear ${ESC}[2J${ESC}[H`,
  `alt ${ESC}[?1049h`,
  'nul a\u0000b',
  'cr fake\rorchestrator | all good',
  COLORED,
  `dcs ${ESC}P1$qm${ESC}\\`,
  'csi8 \u009b2J',
];

function hostileConfig(extra: string): string {
  return writeConfig(`[tasks.hostile]\ncommand = ["node", ${fx('hostile-output.mjs')}]\n${extra}\n`);
}

/** Everything the run writes to stdout, as the terminal would get it. */
function captureStdout(run: CliRun): () => string {
  let text = '';
  run.child.stdout!.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

/** The pod text of each `hostile-0 | …` / `hostile-0 ! …` line, the prefix (and its colours) removed. */
function podTexts(output: string, marker: '|' | '!'): string[] {
  const prefix = new RegExp(`^(?:${ESC}\\[\\d+m)?hostile-0 *(?:${ESC}\\[0m)? (?:${ESC}\\[\\d+m)?\\${marker}(?:${ESC}\\[0m)? `);
  return output
    .split('\n')
    .filter((l) => prefix.test(l))
    .map((l) => l.replace(prefix, ''));
}

function batchOf(texts: string[]): string[] {
  const begin = texts.indexOf('BEGIN');
  const end = texts.indexOf('END', begin);
  return texts.slice(begin + 1, end);
}

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

describe('pod text reaches the terminal neutralised', () => {
  it.each([
    { flag: '--no-color', colors: true, shown: NEUTRALISED },
    { flag: '--color', colors: false, shown: NEUTRALISED },
    { flag: '--color', colors: true, shown: NEUTRALISED.map((l) => (l.startsWith('color ') ? COLORED : l)) },
  ])('run $flag, colors = $colors: exact neutralised lines, no control character but allowed colours', async ({ flag, colors, shown }) => {
    const file = hostileConfig(`restart = "never"\ncolors = ${colors}`);
    const run = runCli(['run', file, '--no-timestamps', flag]);
    const output = captureStdout(run);
    expect((await run.exit()).code).toBe(0);
    expect(batchOf(podTexts(output(), '|'))).toEqual(shown);
    expect(podTexts(output(), '!')).toEqual([STDERR_NEUTRALISED]);
    // Only the orchestrator's own colours (and, opted in, the pod's SGR) remain.
    expect(output().replace(SGR, '')).not.toMatch(CONTROL);
    if (flag === '--no-color') expect(output()).not.toContain(ESC);
  });

  it('logs (text and -o json) and subscribe show the neutralised form; JSON keeps the exact text', async () => {
    const file = hostileConfig('env = { STAY = "1" }\nsubscribe = ["go"]\ncolors = true');
    running = await startRun(file, 1);
    await running.waitFor(/^hostile-0 +\| END$/);

    const logs = await verb(['logs', 'hostile', '-f', file]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).not.toMatch(CONTROL);
    expect(batchOf(podTexts(logs.stdout, '|'))).toEqual(NEUTRALISED);
    expect(podTexts(logs.stdout, '!')).toEqual([STDERR_NEUTRALISED]);

    const json = await verb(['logs', 'hostile', '-f', file, '-o', 'json']);
    expect(json.stdout).not.toMatch(CONTROL);
    const lines = (JSON.parse(json.stdout) as { lines: Array<{ line: string; stream: string }> }).lines;
    expect(batchOf(lines.filter((l) => l.stream === 'stdout').map((l) => l.line))).toEqual(RAW);

    const sub = runCli(['subscribe', 'hostile.stdout', 'probe', '-f', file]);
    const subOutput = captureStdout(sub);
    // The subscription is live once a published message comes back through it.
    for (let i = 0; sub.lines.length === 0 && i < 50; i++) {
      await verb(['publish', 'probe', `probe-${i}`, '-f', file]);
      await sub.waitFor(/probe-/, 1, 300).catch(() => null);
    }
    await verb(['publish', 'go', 'x', '-f', file]);
    await sub.waitFor(/hostile\.stdout \[from hostile-0\]: END$/);
    sub.signal('SIGINT');
    expect((await sub.exit()).code).toBe(0);
    expect(subOutput()).not.toMatch(CONTROL);
    const data = subOutput()
      .split('\n')
      .filter((l) => / hostile\.stdout \[from hostile-0\]: /.test(l))
      .map((l) => l.replace(/^.* hostile\.stdout \[from hostile-0\]: /, ''));
    expect(batchOf(data)).toEqual(NEUTRALISED);
  });
});

/** A command run as the session leader of a pseudo-terminal (test/fixtures/pty-session.py). */
class PtySession {
  readonly child: ChildProcess;
  text = '';
  private wake: (() => void) | null = null;

  constructor(args: string[]) {
    this.child = spawn('python3', [join(FIXTURES, 'pty-session.py'), CLI, ...args], { env: { ...process.env, NO_COLOR: '1', CI: '' }, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      this.text += chunk;
      this.wake?.();
    });
  }

  async waitFor(pattern: RegExp, count: number, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while ((this.text.match(new RegExp(pattern, 'g')) ?? []).length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${count} × ${pattern}; terminal got:\n${this.text}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, remaining);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }

  hangUp(): void {
    this.child.stdin!.write('hangup\n');
  }
}

describe('a lost terminal stops the run gracefully', () => {
  let session: PtySession | null = null;
  afterEach(() => {
    session?.child.kill('SIGKILL');
    session = null;
  });

  it.each([
    { pods: 'quiet (the SIGHUP finds the terminal gone)', tick: '0' },
    { pods: 'printing (writes fail with EIO)', tick: '1' },
  ])('hangup of a real pseudo-terminal, pods $pods: exit 129 after every pod had its grace period, socket removed', async ({ tick }) => {
    const dir = tempDir();
    const file = writeConfig(`[tasks.slow]\ncommand = [${fx('graceful-stop.sh')}]\nreplicas = 2\ngrace_period = "10s"\nenv = { OUT_DIR = ${JSON.stringify(dir)}, TICK = "${tick}" }\n`, dir);
    const log = join(dir, 'orchestrator.log');
    session = new PtySession(['run', file, '--log-file', log]);
    await session.waitFor(/slow-\d +\| up pid=\d+/, 2);
    await until(() => existsSync(socketOf(file)), 5000, 'the control socket exists');
    const pids = [...session.text.matchAll(/up pid=(\d+)/g)].map((m) => Number(m[1]));

    session.hangUp();
    await session.waitFor(/\n(exit|signal) \d+\n/, 1, 30_000);
    expect(session.text).toMatch(/\nexit 129\n$/);
    expect(readdirSync(dir).filter((f) => f.startsWith('graceful-')).sort()).toEqual(pids.map((p) => `graceful-${p}`).sort());
    expect(existsSync(socketOf(file))).toBe(false);
    expect(pids.filter(pidAlive)).toEqual([]);
    const logged = readFileSync(log, 'utf8');
    expect(logged).toMatch(/"msg":"the terminal hung up[^"]*: stopping all pods, each with its grace period"/);
    expect(logged).not.toMatch(/reload/i);
  });

  it('a stdout pipe whose reader closes it: exit 141 after a graceful stop', async () => {
    const dir = tempDir();
    const file = writeConfig(`[tasks.slow]\ncommand = [${fx('graceful-stop.sh')}]\ngrace_period = "10s"\nenv = { OUT_DIR = ${JSON.stringify(dir)}, TICK = "1" }\n`, dir);
    running = runCli(['run', file, '--log-file', join(dir, 'orchestrator.log')]);
    const [up] = await running.waitFor(/slow-0 +\| up pid=\d+/);
    const pid = Number(/pid=(\d+)/.exec(up!)![1]);
    running.child.stdout!.destroy();
    expect(await running.exit()).toEqual({ code: 141, signal: null });
    expect(existsSync(join(dir, `graceful-${pid}`))).toBe(true);
    expect(existsSync(socketOf(file))).toBe(false);
    expect(pidAlive(pid)).toBe(false);
    expect(readFileSync(join(dir, 'orchestrator.log'), 'utf8')).toContain('closed the pipe (stdout: write EPIPE): stopping all pods');
  });
});
