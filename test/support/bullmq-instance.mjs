/**
 * One pyward queue instance in its own process, for the tests that kill a worker mid-review:
 * `node bullmq-instance.mjs <redisUrl> <prefix> <lockMs> [maxStalled] [job JSON to enqueue]`. Its processor
 * says `started <job id>` on stdout and then works until the process dies; a job handed over stopped is
 * reported as `stopped <job id> <reason JSON>`. Needs dist/ (npm test builds it).
 */
import { createBullQueue } from '../../dist/app/bullmq-queue.js';
import { reviewJobId } from '../../dist/app/queue.js';

const [redisUrl, prefix, lockMs, maxStalled, enqueue] = process.argv.slice(2);
const queue = createBullQueue({
  redisUrl,
  prefix,
  lockMs: Number(lockMs),
  ...(maxStalled ? { maxStalled: Number(maxStalled) } : {}),
  concurrency: 1,
  perInstallation: 4,
  onError: (id, err) => console.error(`error ${id}: ${err?.stack ?? err}`),
  process: (data, signal) => {
    if (signal.aborted) {
      console.log(`stopped ${reviewJobId(data)} ${JSON.stringify(signal.reason)}`);
      return Promise.resolve();
    }
    console.log(`started ${reviewJobId(data)}`);
    return new Promise(() => {}); // a long review
  },
});
if (enqueue) console.log(`enqueued ${await queue.enqueue(JSON.parse(enqueue))}`);
