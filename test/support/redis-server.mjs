/**
 * A throwaway `redis-server` for tests and benchmarks: its own process on a free localhost port, no
 * persistence, stopped by the caller. Needs Debian's redis-server binary (`.ci/run` installs it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function redisServerAvailable() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** @returns {Promise<{url: string, port: number, pid: number, stop: () => Promise<void>}>} */
export async function startRedisServer() {
  if (!redisServerAvailable()) throw new Error('redis-server is not installed (apt-get install -y redis-server; .ci/run does it)');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', '--logfile', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const kill = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
    process.once('exit', kill);
    const ok = await new Promise((resolve) => {
      const deadline = setTimeout(() => resolve(false), 10_000);
      const probe = setInterval(() => {
        const s = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
        if (s.stdout?.trim() === 'PONG') {
          clearInterval(probe);
          clearTimeout(deadline);
          resolve(true);
        }
      }, 50);
      child.once('exit', () => {
        clearInterval(probe);
        clearTimeout(deadline);
        resolve(false);
      });
    });
    if (ok) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        pid: child.pid,
        async stop() {
          process.removeListener('exit', kill);
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000).unref())]);
          kill();
        },
      };
    }
    kill();
    process.removeListener('exit', kill);
    if (attempt >= 3) throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }
}
