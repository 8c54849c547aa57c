import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyHttpListener } from './lazy-http.js';
import { TCP_LIMITS } from './limits.js';

let listener: LazyHttpListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

/** One raw HTTP/1.1 request on its own connection; the whole answer once the server closes it. */
function ask(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
  });
}

describe('LazyHttpListener', () => {
  it('answers connections that arrive together, while its http server is still being made, each with its own request', async () => {
    listener = new LazyHttpListener(TCP_LIMITS, (req, res) => res.end(`you asked ${req.url}`));
    await new Promise<void>((resolve) => listener!.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = listener.server.address() as { port: number };
    const answers = await Promise.all(['/a', '/b', '/c'].map((path) => ask(port, path)));
    expect(answers.map((a) => [a.split('\r\n')[0], a.slice(a.indexOf('\r\n\r\n') + 4)])).toEqual([
      ['HTTP/1.1 200 OK', 'you asked /a'],
      ['HTTP/1.1 200 OK', 'you asked /b'],
      ['HTTP/1.1 200 OK', 'you asked /c'],
    ]);
  });

  it('close() stops listening when no connection ever came (no http server was made)', async () => {
    listener = new LazyHttpListener(TCP_LIMITS, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => listener!.server.listen(0, '127.0.0.1', () => resolve()));
    await listener.close();
    expect(listener.server.listening).toBe(false);
    listener = null;
  });
});
