/**
 * Real nats-server processes on loopback for the NATS bus tests: each with its own temporary
 * JetStream store, restartable on the same port and store, killable with SIGKILL, and a 3-node
 * cluster. Every wait has a deadline, so a broken server fails a test instead of hanging it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** SIGTERM, then starts again with the same port and store (JetStream file data survives). */
  restart(): Promise<void>;
  /** SIGKILL, no wait (for leader-kill tests). */
  kill9(): void;
  /** SIGTERM, waits for the exit, removes the store. */
  stop(): Promise<void>;
}

/** nats-server on PATH, else Debian's /usr/sbin/nats-server (not on a non-root PATH); null when absent. */
export function natsServerBinary(): string | null {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin']) {
    if (dir === '') continue;
    const file = join(dir, 'nats-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return null;
}

/** A loopback port that was free a moment ago (for servers that must restart on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const READY_MS = 10_000;

interface Launch {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Everything the server logged so far (kept growing). */
  readonly log: { text: string };
}

/** Spawns the server and resolves once its log says `until` (or rejects with its log). */
function launch(bin: string, args: readonly string[], until: RegExp): Promise<Launch> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = { text: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready within ${READY_MS} ms`), READY_MS);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server ${args.join(' ')}: ${why}\n${log.text}`));
    };
    let ready = false;
    const onData = (chunk: Buffer): void => {
      // Bounded: only the tail matters to the waits.
      log.text = (log.text + chunk.toString()).slice(-200_000);
      if (!ready && until.test(log.text)) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, exited, log });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (!ready) fail(`exited (${code ?? signal})`);
    });
    child.once('error', (error) => fail(error.message));
  });
}

function requireBinary(): string {
  const bin = natsServerBinary();
  if (bin === null) throw new Error('nats-server not found on PATH or in /usr/sbin (Debian: apt-get install nats-server)');
  return bin;
}

class LocalServer implements NatsServer {
  private current: Launch | null = null;

  private constructor(
    private readonly bin: string,
    private readonly args: readonly string[],
    private readonly until: RegExp,
    readonly port: number,
    readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** A server already running as `running`, restarted later with `args`. */
  static adopt(bin: string, args: readonly string[], until: RegExp, port: number, storeDir: string, running: Launch): LocalServer {
    const server = new LocalServer(bin, args, until, port, storeDir);
    server.current = running;
    return server;
  }

  static async start(bin: string, args: readonly string[], until: RegExp, port: number, storeDir: string): Promise<LocalServer> {
    const server = new LocalServer(bin, args, until, port, storeDir);
    server.current = await launch(bin, args, until);
    return server;
  }

  async restart(): Promise<void> {
    await this.terminate();
    this.current = await launch(this.bin, this.args, this.until);
  }

  /** Resolves once the server's log matches `pattern`. */
  async waitForLog(pattern: RegExp, timeoutMs = READY_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.current?.log.text ?? '')) {
      if (Date.now() > deadline) throw new Error(`nats-server on ${this.port}: no ${pattern} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill9(): void {
    this.current?.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.terminate();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async terminate(): Promise<void> {
    const running = this.current;
    this.current = null;
    if (running === null || running.child.exitCode !== null || running.child.signalCode !== null) return;
    running.child.kill('SIGTERM');
    await running.exited;
  }
}

/**
 * One JetStream server. Without `port` it listens on `-p -1` (a port the kernel picks, no race
 * with other sessions) and the port is read back from its ports file; restarts reuse that port.
 */
export async function startNats(options: { port?: number } = {}): Promise<NatsServer> {
  const bin = requireBinary();
  const dir = mkdtempSync(join(tmpdir(), 'orch-nats-'));
  const args = (port: number): string[] => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'js'), '--ports_file_dir', dir];
  if (options.port !== undefined) return LocalServer.start(bin, args(options.port), /Server is ready/, options.port, dir);
  const first = await launch(bin, args(-1), /Server is ready/);
  const port = await portFromFile(dir);
  return LocalServer.adopt(bin, args(port), /Server is ready/, port, dir, first);
}

/** The client port nats-server wrote to `<dir>/<name>_<pid>.ports` (`{"nats":["nats://127.0.0.1:33789"]}`). */
async function portFromFile(dir: string): Promise<number> {
  const deadline = Date.now() + READY_MS;
  for (;;) {
    const file = readdirSync(dir).find((name) => name.endsWith('.ports'));
    if (file !== undefined) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nats?: string[] };
        const port = Number(/:(\d+)$/.exec(ports.nats?.[0] ?? '')?.[1]);
        if (port > 0) return port;
      } catch {
        /* still being written */
      }
    }
    if (Date.now() > deadline) throw new Error(`nats-server wrote no ports file in ${dir} within ${READY_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `size` JetStream servers routed into one cluster, resolved once a metadata leader is elected. */
export async function startCluster(size: 3): Promise<{ readonly urls: string[]; readonly nodes: NatsServer[] }> {
  const bin = requireBinary();
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const nodes = await Promise.all(
    ports.map((port, i) => {
      const dir = mkdtempSync(join(tmpdir(), `orch-nats-n${i + 1}-`));
      const args = ['-a', '127.0.0.1', '-p', String(port), '-n', `n${i + 1}`, '-js', '-sd', join(dir, 'js'), '--cluster_name', 'orch', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes];
      // Each node is ready once it serves clients; the metadata leader is awaited on all of them below.
      return LocalServer.start(bin, args, /Server is ready/, port, dir);
    }),
  );
  // Streams can be created only once the cluster has elected its metadata leader (~0.4 s).
  await Promise.any(nodes.map((n) => n.waitForLog(/metadata leader/)));
  return { urls: nodes.map((n) => n.url), nodes };
}

/**
 * `describe` for suites that need a server: skipped with a visible reason when there is none,
 * and failing instead when REQUIRE_NATS=1 (CI installs the server, so a skip there is a bug).
 */
export const describeNats: typeof describe = ((name: string, fn: () => void) => {
  if (natsServerBinary() !== null) return describe(name, fn);
  if (process.env['REQUIRE_NATS'] === '1') {
    return describe(name, () => {
      it('needs nats-server (REQUIRE_NATS=1)', () => {
        throw new Error('REQUIRE_NATS=1 but nats-server is not on PATH or in /usr/sbin (Debian: apt-get install nats-server)');
      });
    });
  }
  return describe.skip(`${name} (skipped: nats-server not found on PATH or in /usr/sbin; install it or set REQUIRE_NATS=1 to fail instead)`, fn);
}) as typeof describe;
