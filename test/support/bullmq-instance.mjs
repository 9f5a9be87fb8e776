/**
 * One pyward queue instance in its own process, for the test that kills a worker mid-review:
 * `node bullmq-instance.mjs <redisUrl> <prefix> <lockMs>`. Its processor says `started <job id>` on stdout
 * and then works until the process dies. Needs dist/ (npm test builds it).
 */
import { createBullQueue } from '../../dist/app/bullmq-queue.js';
import { reviewJobId } from '../../dist/app/queue.js';

const [redisUrl, prefix, lockMs] = process.argv.slice(2);
createBullQueue({
  redisUrl,
  prefix,
  lockMs: Number(lockMs),
  concurrency: 1,
  perInstallation: 4,
  onError: (id, err) => console.error(`error ${id}: ${err?.stack ?? err}`),
  process: (data) => {
    console.log(`started ${reviewJobId(data)}`);
    return new Promise(() => {}); // a long review
  },
});
