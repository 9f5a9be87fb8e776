/**
 * A small Redis client (RESP2 over one TCP connection, commands pipelined in order) shaped like Bun's
 * built-in `RedisClient` (`send`, `connected`, `onconnect`/`onclose`, `duplicate`), so that BullMQ wraps it
 * in its own Bun adapter, which brings reconnection with back-off, Lua script loading, MULTI/EXEC and the
 * reply normalisation BullMQ needs.
 *
 * Why not ioredis: BullMQ 6 makes its Redis driver an optional peer dependency, and none is installed with
 * pyward's dependencies; BullMQ accepts a client instance instead. What BullMQ and pyward send is plain
 * commands and replies (no pub/sub, no cluster, no TLS), which this file covers; `rediss://` URLs are
 * refused with a clear message rather than sent in clear text.
 */
import { connect, type Socket } from 'node:net';

type Reply = string | number | null | Reply[] | Error;

export interface RedisTarget {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db?: number;
}

export function parseRedisUrl(url: string): RedisTarget {
  const u = new URL(url);
  if (u.protocol === 'rediss:') throw new Error('REDIS_URL: TLS (rediss://) is not supported by pyward\'s Redis client; use a TLS tunnel or a private network');
  if (u.protocol !== 'redis:') throw new Error(`REDIS_URL must start with redis:// (got ${u.protocol})`);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(db ? { db: Number(db) } : {}),
  };
}

function encode(command: string, args: readonly (string | Buffer | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length + 1}\r\n$${Buffer.byteLength(command)}\r\n${command}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `at`; undefined when the buffer does not hold all of it yet. */
function parse(buf: Buffer, at: number): { value: Reply; next: number } | undefined {
  if (at >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2 };
    case '-':
      return { value: new Error(line), next: eol + 2 };
    case ':':
      return { value: Number(line), next: eol + 2 };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + len + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + len), next: eol + 2 + len + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const items: Reply[] = [];
      let next = eol + 2;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}

/** Errors nested in an array reply (EXEC) stay values; a top-level error reply rejects. */
export class RespClient {
  connected = false;
  onconnect: (() => void) | undefined;
  onclose: ((err?: Error) => void) | undefined;
  onerror: ((err: Error) => void) | undefined;
  private socket: Socket | undefined;
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closedByUs = false;

  constructor(readonly url: string, private readonly target: RedisTarget = parseRedisUrl(url)) {}

  async connect(): Promise<void> {
    if (this.connected) return;
    const socket = connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.onerror?.(err));
    socket.on('close', () => this.closed());
    this.connected = true;
    if (this.target.password !== undefined) await this.send('AUTH', this.target.username ? [this.target.username, this.target.password] : [this.target.password]);
    if (this.target.db) await this.send('SELECT', [String(this.target.db)]);
    this.onconnect?.();
  }

  send(command: string, args: readonly (string | Buffer | number)[] = []): Promise<any> {
    if (!this.connected || !this.socket) return Promise.reject(new Error('Connection closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket!.write(encode(command, args));
    });
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.destroy();
    this.closed();
  }

  /** BullMQ recognises a client instance by `connect`, `disconnect` and `duplicate`. */
  disconnect(): void {
    this.close();
  }

  async duplicate(): Promise<RespClient> {
    return new RespClient(this.url, this.target);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const reply = parse(this.buffer, at);
      if (!reply) break;
      at = reply.next;
      const waiter = this.pending.shift();
      if (reply.value instanceof Error) waiter?.reject(reply.value);
      else waiter?.resolve(reply.value);
    }
    this.buffer = at >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(at);
  }

  private closed(): void {
    if (!this.connected) return;
    this.connected = false;
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(new Error('Connection closed'));
    this.onclose?.(this.closedByUs ? undefined : new Error('Connection closed by the Redis server'));
  }
}
