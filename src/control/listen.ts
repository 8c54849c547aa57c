import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { dirname } from 'node:path';
import { ControlSocketBlockedError, ControlSocketInUseError } from './errors.js';

/** True when something accepts connections on the socket; a crashed run's leftover refuses them. */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (live: boolean): void => {
      socket.destroy();
      resolve(live);
    };
    socket.setTimeout(timeoutMs, () => done(true)); // connected-but-silent still counts as taken
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Listens on the Unix socket `path` with mode 0600 in a 0700 directory. A leftover socket that no
 * longer answers (a crashed run) is replaced; one that answers means another instance runs here:
 * ControlSocketInUseError. Anything else at the path is never deleted: ControlSocketBlockedError.
 */
export async function listenUnix(server: Server, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch {
    existing = undefined;
  }
  if (existing !== undefined) {
    if (!existing.isSocket()) throw new ControlSocketBlockedError(path);
    if (await socketAnswers(path)) throw new ControlSocketInUseError(path);
    unlinkSync(path);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // bind() happens synchronously inside listen(): the umask covers exactly this socket file.
    const previous = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
  chmodSync(path, 0o600);
}

/** Removes the socket file if it is still ours (a newer instance may have replaced it). */
export function removeSocket(path: string, inode: number | null): void {
  try {
    if (inode === null || lstatSync(path).ino === inode) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
