/**
 * Production entry (`npm start`): Probot's server with pyward's app, plus what `probot run` cannot give:
 * - an Octokit whose own retries are off (plugin-retry ignores `retry-after`; Probot's throttling handlers
 *   drop secondary limits and sleep inside a request on a primary one): pyward's fault handling
 *   (src/app/github-faults.ts) decides, while plugin-throttling still paces writes (one mutation a second,
 *   one notifying write every three seconds, as GitHub asks);
 * - a graceful shutdown on SIGTERM/SIGINT: `/healthz` answers 503 at once (a load balancer moves webhooks
 *   to other instances; a webhook that still arrives is refused with a 500, which GitHub can redeliver),
 *   finish in-flight reviews within PYWARD_SHUTDOWN_GRACE_MS, complete the rest with a Re-run button (with
 *   REDIS_URL, put them back in the shared queue for the other instances), stop listening, exit.
 */
import { ProbotOctokit, run } from 'probot';
import { createApp } from './app/app.js';

export const PywardOctokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...options.throttle, onRateLimit: () => false, onSecondaryRateLimit: () => false },
}));

// REDIS_URL is pyward's shared queue. Probot would also take it for its own cluster-wide throttling, which
// needs ioredis (not a dependency): Probot does not see it; write pacing stays per instance.
const env = { ...process.env };
delete process.env.REDIS_URL;
const app = createApp({ env });
const before = new Set(process.listeners('SIGINT'));
const server = await run(app, { Octokit: PywardOctokit as typeof ProbotOctokit });
// `run` exits on SIGINT at once; pyward's own handler below finishes reviews first.
for (const listener of process.listeners('SIGINT')) if (!before.has(listener)) process.removeListener('SIGINT', listener);

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.info(`pyward: ${signal}: draining (healthz 503, no new reviews); finishing reviews in flight`);
  try {
    await app.shutdown();
  } finally {
    const closed = server.stop().catch((err: unknown) => console.error('pyward: closing the server failed', err));
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
    process.exit(0);
  }
};
process.on('SIGTERM', (s) => void stop(s));
process.on('SIGINT', (s) => void stop(s));
