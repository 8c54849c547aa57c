/** Raw TCP connections for tests of the control server's limits (unit and e2e): no HTTP client in the way. */
import { connect, type Socket } from 'node:net';

/** A raw TCP connection that records what it received and when it was closed. */
export interface Raw {
  readonly socket: Socket;
  readonly received: () => string;
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

/** To a TCP port on `host`, or to the Unix socket at a path. */
export async function openRaw(to: number | string, host = '127.0.0.1'): Promise<Raw> {
  const socket = typeof to === 'string' ? connect(to) : connect(to, host);
  let data = '';
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  socket.on('error', () => {}); // a reset after the server closed is expected
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed, isClosed: () => isClosed };
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Writes `total` body bytes as fast as the socket takes them, until done or the socket closes; resolves with the bytes written. */
export function pump(socket: Socket, total: number, chunked: boolean): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
  return new Promise((resolve) => {
    let written = 0;
    const more = (): void => {
      while (written < total && !socket.destroyed && socket.writable) {
        written += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', more);
      }
      if (written >= total) resolve(written);
    };
    socket.once('close', () => resolve(written));
    more();
  });
}

