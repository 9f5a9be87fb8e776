/**
 * The app on Probot's own HTTP server, in this process, on 127.0.0.1 (for the rule pages' HTTP and browser
 * tests), and a plain HTTP/1.1 client for it.
 */
import { createServer, connect } from 'node:net';
import { Probot, Server, type ApplicationFunction } from 'probot';
import { PRIVATE_KEY } from './github.js';

export interface RunningServer {
  origin: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startProbotServer(app: ApplicationFunction): Promise<RunningServer> {
  const quiet = new Probot({ appId: 1, privateKey: PRIVATE_KEY, logLevel: 'fatal' });
  await quiet.ready();
  for (let attempt = 1; ; attempt++) {
    // Probot's Server treats port 0 as "unset" (3000): pick a free one, and another if it was taken meanwhile.
    const port = await freePort();
    const server = new Server({ Probot: Probot.defaults({ appId: 1, privateKey: PRIVATE_KEY, secret: 'test' }), port, host: '127.0.0.1', log: quiet.log });
    await server.load(app);
    try {
      await server.start();
      return { origin: `http://127.0.0.1:${port}`, stop: () => server.stop() };
    } catch (err) {
      if (attempt >= 3 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * One request on its own connection over a plain socket: nothing outlives the test (server.stop() waits for
 * open connections), and no interception another test file left in the worker (nock) gets in the way.
 */
export function rawHttp(origin: string, method: string, path: string): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    socket.on('connect', () => socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nconnection: close\r\n\r\n`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const end = raw.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1];
      if (!status || end < 0) return reject(new Error(`${method} ${path}: no HTTP answer (${JSON.stringify(raw.slice(0, 200))})`));
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = raw.slice(end + 4);
      resolve({ status: Number(status), headers, text: body });
    });
  });
}
