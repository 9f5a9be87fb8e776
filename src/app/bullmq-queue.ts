/**
 * The shared review queue (`REDIS_URL`): the {@link ReviewQueue} contract of src/app/queue.ts kept across
 * several stateless instances by BullMQ on one Redis.
 * - Coalescing: the BullMQ job id is {@link reviewJobId} (repo, PR, head sha); adding an id that is waiting,
 *   delayed or running is a no-op in BullMQ. Finished jobs are removed, so a Re-run can queue the id again.
 * - A dead worker's job is retried: BullMQ's lock on a running job expires `lockMs` after its worker stops
 *   renewing it, and another instance's stalled-job check puts it back in line. A job that has lost its
 *   worker more than `maxStalled` times (a change that crashes or OOM-kills every instance reviewing it) is
 *   given up: handed to the processor aborted (`given-up`), so its check completes with a Re-run button
 *   instead of staying in progress. So is a job whose start failed in pyward's own Redis calls on each of its
 *   {@link JOB_ATTEMPTS} attempts, and, as a last resort, any job BullMQ fails for good.
 * - Supersede: every enqueue records the PR's latest head sha in Redis (`<prefix>:head:<repo>#<n>`). A job
 *   whose PR has a newer head is handed to the processor aborted (`superseded`), so its check completes
 *   neutral; running jobs are aborted at once in the instance that took the newer push and, in the others,
 *   at their next check of the key (every `checkMs`), before the review's next write.
 * - Per-installation bound: a job takes a slot in `<prefix>:slots:<installation>` (a sorted set of job ids
 *   scored by lease expiry, Redis's clock) before it runs; when the installation has `perInstallation`
 *   live slots the job goes back to the delayed set for `retryMs`, and other installations' jobs run. Leases
 *   are renewed while the job runs, so a killed worker's slot frees itself after `lockMs`.
 * - Shutdown: the worker stops taking jobs, running ones get the grace period, the rest are aborted with
 *   `shutdown` (the processor completes their check with a Re-run button) and put back in the queue, where
 *   another instance, or this one after its restart, resumes them. Queued jobs stay queued for the others.
 */
import { createBunRedisClient, DelayedError, Queue, Worker, type Job } from 'bullmq';
import { RespClient } from './redis-client.js';
import { MAX_CRASHED_RUNS, RetryLaterError, reviewJobId, type EnqueueResult, type ReviewJobData, type ReviewProcessor, type ReviewQueue, type StopReason } from './queue.js';

export const DEFAULT_QUEUE_NAME = 'pyward-reviews';

export interface BullQueueOptions {
  redisUrl: string;
  process: ReviewProcessor;
  /** Reviews this instance runs at once. */
  concurrency: number;
  /** Reviews of one installation running at once across every instance. */
  perInstallation: number;
  queueName?: string;
  /** Key prefix for BullMQ and pyward's own keys (tests use one per test). */
  prefix?: string;
  /** Lock of a running job and lease of its installation slot; a dead worker's job is retried after it. */
  lockMs?: number;
  /** How often running jobs look for a newer head of their PR and renew their slot. */
  checkMs?: number;
  /** Wait before a job whose installation has no free slot tries again. */
  retryMs?: number;
  /** Times a job may lose its worker before it is given up (its check completed, with a Re-run button). */
  maxStalled?: number;
  /** When an installation may run again (this process's view of its rate-limit pause). */
  pausedUntil?: (installationId: number) => number | undefined;
  onError: (id: string, err: unknown) => void;
}

const HEAD_TTL_S = 7 * 24 * 3600;

/** Attempts of a job whose start fails in pyward's own Redis calls; BullMQ tries again after 1 s, then 2 s. */
export const JOB_ATTEMPTS = 3;

/**
 * BullMQ's own stall limit is above pyward's: pyward gives a job up first (and completes its check inside
 * the job's lock, so a give-up whose worker dies is taken over too); BullMQ fails it only when the give-up
 * itself lost its worker this many more times, and the `failed` handler completes its check then.
 */
const BULLMQ_STALL_MARGIN = 2;

const givenUp = (why: string): StopReason => ({ kind: 'given-up', why });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Takes (or renews) a slot: 1 when the job holds one, 0 when the installation has none free. */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
  return 1
end
return 0`;

interface Running {
  data: ReviewJobData;
  controller: AbortController;
}

const prKey = (data: ReviewJobData) => `${data.repo.owner}/${data.repo.repo}#${data.pr.number}`;

export interface BullReviewQueue extends ReviewQueue {
  /** Jobs waiting, delayed or running across every instance. */
  depth(): Promise<number>;
  /** Ids this instance is running (tests, logs). */
  readonly runningIds: string[];
}

export function createBullQueue(options: BullQueueOptions): BullReviewQueue {
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? 'pyward';
  const lockMs = options.lockMs ?? 30_000;
  const checkMs = options.checkMs ?? 500;
  const retryMs = options.retryMs ?? 250;
  const maxStalled = options.maxStalled ?? MAX_CRASHED_RUNS;
  const perInstallation = Math.max(1, options.perInstallation);
  const headKey = (pr: string) => `${prefix}:head:${pr}`;
  const slotKey = (installationId: number) => `${prefix}:slots:${installationId}`;
  /** Who is starting a review of a commit (its check run and job): one instance per delivery burst. */
  const claimKey = (id: string) => `${prefix}:claim:${id}`;
  const instanceId = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

  // BullMQ takes a client instance (see redis-client.ts) in its Bun adapter, and duplicates it for its blocking connections.
  // BullMQ leaves clients it was given open: shutdown closes them.
  const clients: ReturnType<typeof createBunRedisClient>[] = [];
  const client = () => {
    const c = createBunRedisClient(new RespClient(options.redisUrl) as never);
    // A lost connection is retried by the adapter; say so without crashing the process.
    c.on('error', (err: unknown) => draining || options.onError('(redis)', err));
    clients.push(c);
    return c;
  };
  // pyward's own commands (heads, slots) on a connection of their own, opened again after a Redis restart.
  let own: RespClient | undefined;
  let opening: Promise<RespClient> | undefined;
  const connection = () => {
    if (own?.connected) return Promise.resolve(own);
    opening ??= (async () => {
      const c = new RespClient(options.redisUrl);
      await c.connect();
      own = c;
      return c;
    })().finally(() => (opening = undefined));
    return opening;
  };
  const queue = new Queue<ReviewJobData>(name, { connection: client() as never, prefix });
  const running = new Map<string, Running>();
  let draining = false;

  const redis = async (command: string, args: (string | number)[]) => (await connection()).send(command, args);
  const acquire = (data: ReviewJobData, id: string) => redis('EVAL', [ACQUIRE, 1, slotKey(data.installationId), lockMs, perInstallation, id]);
  const release = (data: ReviewJobData, id: string) => redis('ZREM', [slotKey(data.installationId), id]).catch(() => undefined);

  /** Aborts running jobs whose PR has a newer head, and renews the slots of the others. */
  const check = async () => {
    const entries = [...running.entries()].filter(([, r]) => !r.controller.signal.aborted);
    if (!entries.length) return;
    const heads = (await redis('MGET', entries.map(([, r]) => headKey(prKey(r.data))))) as (string | null)[];
    await Promise.all(
      entries.map(([id, r], i) => {
        const head = heads[i];
        if (head && head !== r.data.pr.headSha) {
          r.controller.abort({ kind: 'superseded', bySha: head } satisfies StopReason);
          return undefined;
        }
        return acquire(r.data, id);
      }),
    );
  };
  const checkTimer = setInterval(() => void check().catch((err) => options.onError('(queue check)', err)), checkMs);
  checkTimer.unref();

  const processJob = async (job: Job<ReviewJobData>, token?: string) => {
    const data = job.data;
    const id = job.id ?? reviewJobId(data);
    const controller = new AbortController();
    if (job.stalledCounter > maxStalled) {
      controller.abort(givenUp(`the instance running it stopped ${plural(job.stalledCounter, 'time')} before it finished (a crash or an out-of-memory kill)`));
    } else {
      try {
        const head = (await redis('GET', [headKey(prKey(data))])) as string | null;
        if (head && head !== data.pr.headSha) controller.abort({ kind: 'superseded', bySha: head } satisfies StopReason);
        if (!controller.signal.aborted) {
          const paused = options.pausedUntil?.(data.installationId);
          const free = paused === undefined && (await acquire(data, id)) === 1;
          if (!free) {
            await job.moveToDelayed(paused ?? Date.now() + retryMs, token);
            throw new DelayedError();
          }
        }
      } catch (err) {
        // BullMQ runs the job again after a back-off; after the last attempt its check is completed here.
        if (err instanceof DelayedError || job.attemptsMade + 1 < JOB_ATTEMPTS) throw err;
        options.onError(id, err);
        if (!controller.signal.aborted) controller.abort(givenUp(`pyward's queue could not start it (${plural(JOB_ATTEMPTS, 'attempt')}; the instance logs say why)`));
      }
    }
    running.set(id, { data, controller });
    let again: number | undefined;
    try {
      await options.process(data, controller.signal);
    } catch (err) {
      if (err instanceof RetryLaterError && !controller.signal.aborted) again = err.notBeforeMs;
      else options.onError(id, err);
    } finally {
      running.delete(id);
      await release(data, id);
    }
    const reason = controller.signal.reason as StopReason | undefined;
    if (controller.signal.aborted && reason?.kind === 'shutdown') {
      // Completed with a Re-run button; back in line without its run id, so whoever resumes it finds the run again.
      const { checkRunId: _run, ...rest } = data;
      await job.updateData(rest);
      again = Date.now();
    }
    if (again !== undefined) {
      await job.moveToDelayed(again, token);
      throw new DelayedError();
    }
  };

  const worker = new Worker<ReviewJobData>(name, processJob, {
    connection: client() as never,
    prefix,
    concurrency: Math.max(1, options.concurrency),
    lockDuration: lockMs,
    stalledInterval: Math.max(250, Math.floor(lockMs / 2)),
    maxStalledCount: maxStalled + BULLMQ_STALL_MARGIN,
  });
  worker.on('failed', (job, err) => {
    options.onError(job?.id ?? '(unknown job)', err);
    // Failed for good (`finishedOn`: no attempt left): the last resort that keeps its check from staying in progress.
    if (!job?.finishedOn) return;
    const controller = new AbortController();
    controller.abort(givenUp(`pyward's queue gave it up (${(err?.message ?? 'no reason given').slice(0, 200)})`));
    options.process(job.data, controller.signal).catch((e) => options.onError(job.id ?? reviewJobId(job.data), e));
  });
  worker.on('stalled', (id) => options.onError(id, new Error('the instance running this review stopped before it finished; the review goes back in the queue')));
  worker.on('error', (err) => options.onError('(worker)', err));
  queue.on('error', (err) => options.onError('(queue)', err));

  const counts = async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  const live = async (id: string) => {
    const job = await queue.getJob(id);
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  };

  return {
    async enqueue(data): Promise<EnqueueResult> {
      if (draining) return 'refused';
      const id = reviewJobId(data);
      const pr = prKey(data);
      const previous = (await redis('SET', [headKey(pr), data.pr.headSha, 'EX', HEAD_TTL_S, 'GET'])) as string | null;
      if (previous !== data.pr.headSha) {
        for (const r of running.values()) {
          if (prKey(r.data) === pr && r.data.pr.headSha !== data.pr.headSha && !r.controller.signal.aborted) r.controller.abort({ kind: 'superseded', bySha: data.pr.headSha } satisfies StopReason);
        }
      }
      if (await live(id)) return 'coalesced';
      await queue.add('review', data, { jobId: id, removeOnComplete: true, removeOnFail: true, attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 1_000 } });
      return 'queued';
    },
    has: live,
    async claim(id, ttlMs) {
      return (await redis('SET', [claimKey(id), instanceId, 'NX', 'PX', ttlMs])) === 'OK';
    },
    async unclaim(id) {
      await redis('DEL', [claimKey(id)]).catch(() => undefined);
    },
    async idle() {
      while ((await counts()) > 0) await new Promise((r) => setTimeout(r, 50));
    },
    async shutdown(graceMs) {
      draining = true;
      const closed = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'grace'>((resolve) => (timer = setTimeout(() => resolve('grace'), graceMs)));
      if ((await Promise.race([closed.then(() => 'closed' as const), grace])) === 'grace') {
        for (const r of running.values()) if (!r.controller.signal.aborted) r.controller.abort({ kind: 'shutdown' } satisfies StopReason);
      }
      clearTimeout(timer);
      await closed;
      clearInterval(checkTimer);
      await queue.close();
      for (const c of clients) c.disconnect();
      own?.close();
    },
    depth: counts,
    get draining() {
      return draining;
    },
    get size() {
      return running.size;
    },
    get runningIds() {
      return [...running.keys()];
    },
  };
}
