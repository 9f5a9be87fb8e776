/** A shared-queue instance in a child process (test/support/bullmq-instance.mjs) that is SIGKILLed while it runs a review. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReviewJobData } from '../../src/app/queue.js';

export const INSTANCE_SCRIPT = fileURLToPath(new URL('../support/bullmq-instance.mjs', import.meta.url));

/**
 * Starts a child instance on `redisUrl`/`prefix` (which enqueues `enqueue` first when given), waits until it
 * has started the job `id`, and kills it (SIGKILL: no shutdown, its lock is simply not renewed any more).
 */
export async function dieRunning(redisUrl: string, prefix: string, lockMs: number, maxStalled: number, id: string, enqueue?: ReviewJobData): Promise<void> {
  const child = spawn(process.execPath, [INSTANCE_SCRIPT, redisUrl, prefix, String(lockMs), String(maxStalled), ...(enqueue ? [JSON.stringify(enqueue)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const end = Date.now() + 30_000;
    while (!output.includes(`started ${id}`)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`the child did not start ${id}; exit ${child.exitCode}, output:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}
