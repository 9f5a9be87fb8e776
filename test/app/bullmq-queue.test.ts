/**
 * The shared (BullMQ) review queue against a real redis-server started by the test: several instances share
 * the work, a killed worker's job is completed by another instance, coalescing, supersede across instances,
 * the per-installation bound across instances, shutdown, and jobs given up (a worker that keeps dying, a start that keeps failing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createBullQueue, JOB_ATTEMPTS, type BullReviewQueue } from '../../src/app/bullmq-queue.js';
import { reviewJobId, type ReviewJobData, type StopReason } from '../../src/app/queue.js';
import { dieRunning, INSTANCE_SCRIPT } from '../helpers/dying-instance.js';
import { startRedisServer } from '../support/redis-server.mjs';

const CHILD = INSTANCE_SCRIPT;

let redis: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const job = (number: number, headSha: string, installationId = 1): ReviewJobData => ({
  installationId,
  repo: { owner: 'acme', repo: 'shop', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/shop' },
  pr: { number, headSha, baseSha: 'b'.repeat(40), draft: false, state: 'open' },
  checkRunId: number * 10,
});

const waitFor = async (what: () => boolean | Promise<boolean>, timeoutMs = 20_000, label = 'condition') => {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`waited in vain for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Jobs of every instance of one test: who ran what, how it was stopped; each finishes when the test says. */
function gatedWork() {
  const started: { id: string; by: string; data: ReviewJobData }[] = [];
  const stopped: Record<string, StopReason> = {};
  /** Jobs handed to a processor already stopped, in order (a job handed over twice is here twice). */
  const handedStopped: { id: string; by: string }[] = [];
  const release = new Map<string, () => void>();
  let running = 0;
  const runningPerInstallation = new Map<number, number>();
  let maxPerInstallation = 0;
  const processor = (by: string) => (data: ReviewJobData, signal: AbortSignal) => {
    const id = reviewJobId(data);
    if (signal.aborted) {
      stopped[id] = signal.reason;
      handedStopped.push({ id, by });
      return Promise.resolve();
    }
    started.push({ id, by, data });
    running++;
    const inst = data.installationId;
    runningPerInstallation.set(inst, (runningPerInstallation.get(inst) ?? 0) + 1);
    maxPerInstallation = Math.max(maxPerInstallation, runningPerInstallation.get(inst)!);
    return new Promise<void>((resolve) => {
      const done = () => {
        running--;
        runningPerInstallation.set(inst, runningPerInstallation.get(inst)! - 1);
        resolve();
      };
      release.set(id, done);
      signal.addEventListener('abort', () => ((stopped[id] = signal.reason), done()));
    });
  };
  return {
    processor,
    started,
    stopped,
    handedStopped,
    release: (id: string) => release.get(id)?.(),
    get running() {
      return running;
    },
    get maxPerInstallation() {
      return maxPerInstallation;
    },
  };
}

const queues: BullReviewQueue[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(queues.splice(0).map((q) => q.shutdown(0)));
});

function instance(
  prefix: string,
  by: string,
  work: ReturnType<typeof gatedWork>,
  options: { concurrency?: number; perInstallation?: number; lockMs?: number; maxStalled?: number; pausedUntil?: (installationId: number) => number | undefined } = {},
) {
  const errors: unknown[] = [];
  const q = createBullQueue({
    redisUrl: redis.url,
    prefix,
    concurrency: options.concurrency ?? 1,
    perInstallation: options.perInstallation ?? 4,
    lockMs: options.lockMs ?? 5_000,
    checkMs: 50,
    retryMs: 50,
    ...(options.maxStalled !== undefined ? { maxStalled: options.maxStalled } : {}),
    ...(options.pausedUntil ? { pausedUntil: options.pausedUntil } : {}),
    process: work.processor(by),
    onError: (id, err) => errors.push([id, err]),
  });
  queues.push(q);
  return q;
}

it('two instances share the jobs: each runs one while the other is busy, every job runs once', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work);
  const b = instance(prefix, 'B', work);
  for (const n of [1, 2, 3, 4]) expect(await a.enqueue(job(n, 's'))).toBe('queued');
  await waitFor(() => work.started.length === 2, 20_000, 'two jobs running');
  expect(new Set(work.started.map((s) => s.by))).toEqual(new Set(['A', 'B']));
  expect(a.runningIds).toHaveLength(1);
  expect(b.runningIds).toHaveLength(1);
  for (let i = 0; i < 4; i++) {
    await waitFor(() => work.started.length > i, 20_000, `job ${i + 1} running`);
    work.release(work.started[i]!.id);
  }
  await a.idle();
  expect(work.started.map((s) => s.id).sort()).toEqual(['acme/shop#1@s', 'acme/shop#2@s', 'acme/shop#3@s', 'acme/shop#4@s']);
  // the data went through Redis unchanged
  expect(work.started.find((s) => s.id === 'acme/shop#3@s')!.data).toEqual(job(3, 's'));
}, 60_000);

it('deliveries of the same PR head are coalesced across instances; after it finished, a Re-run queues it again', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work);
  const b = instance(prefix, 'B', work);
  expect(await a.enqueue(job(7, 'a1'))).toBe('queued');
  expect(await b.enqueue(job(7, 'a1'))).toBe('coalesced');
  await waitFor(() => work.started.length === 1, 20_000, 'the job running');
  expect(await a.enqueue(job(7, 'a1'))).toBe('coalesced');
  expect(await b.has('acme/shop#7@a1')).toBe(true);
  work.release('acme/shop#7@a1');
  await a.idle();
  expect(await b.has('acme/shop#7@a1')).toBe(false);
  expect(work.started.map((s) => s.id)).toEqual(['acme/shop#7@a1']);
  expect(await b.enqueue(job(7, 'a1'))).toBe('queued');
  await waitFor(() => work.started.length === 2, 20_000, 'the re-run running');
  work.release('acme/shop#7@a1');
  await a.idle();
}, 60_000);

it('a newer push supersedes the older job running on another instance and a queued one; other PRs go on', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work);
  await a.enqueue(job(7, 'old'));
  await waitFor(() => work.started.length === 1, 20_000, 'old running on A');
  const b = instance(prefix, 'B', work);
  await b.enqueue(job(8, 'x')); // another PR, taken by B
  await waitFor(() => work.started.length === 2, 20_000, 'PR 8 running on B');
  await b.enqueue(job(7, 'mid')); // queued: both instances are busy
  expect(await b.enqueue(job(7, 'new'))).toBe('queued');
  // A hears of it through Redis, not from a call in its own process
  await waitFor(() => 'acme/shop#7@old' in work.stopped, 20_000, 'old stopped');
  expect(work.stopped['acme/shop#7@old']).toEqual({ kind: 'superseded', bySha: 'new' });
  await waitFor(() => 'acme/shop#7@mid' in work.stopped, 20_000, 'mid handed back stopped');
  expect(work.stopped['acme/shop#7@mid']).toEqual({ kind: 'superseded', bySha: 'new' });
  await waitFor(() => work.started.some((s) => s.id === 'acme/shop#7@new'), 20_000, 'new running');
  expect(work.stopped['acme/shop#8@x']).toBeUndefined();
  work.release('acme/shop#8@x');
  work.release('acme/shop#7@new');
  await a.idle();
  // the superseded queued job never started its work
  expect(work.started.map((s) => s.id).sort()).toEqual(['acme/shop#7@new', 'acme/shop#7@old', 'acme/shop#8@x']);
}, 60_000);

it('one installation gets at most its bound of slots across instances; another installation is not starved', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work, { concurrency: 2, perInstallation: 2 });
  const b = instance(prefix, 'B', work, { concurrency: 2, perInstallation: 2 });
  for (const n of [1, 2, 3, 4, 5]) await a.enqueue(job(n, 's', 100));
  await a.enqueue(job(9, 's', 200));
  // four slots in all, two for the busy installation: the other one's job runs although it came last
  await waitFor(() => work.started.some((s) => s.data.installationId === 200), 20_000, 'installation 200 running');
  await waitFor(() => work.started.filter((s) => s.data.installationId === 100).length === 2, 20_000, 'two of installation 100 running');
  expect(work.running).toBe(3);
  const released = new Set<string>();
  await waitFor(
    () => {
      for (const s of work.started) if (!released.has(s.id)) (released.add(s.id), work.release(s.id));
      return released.size === 6;
    },
    30_000,
    'all six jobs run',
  );
  await a.idle();
  expect(work.started).toHaveLength(6);
  expect(work.maxPerInstallation).toBe(2);
  expect(new Set(work.started.map((s) => s.by))).toEqual(new Set(['A', 'B']));
}, 60_000);

it('a worker killed mid-review (SIGKILL) loses nothing: another instance completes the job', async () => {
  const prefix = `t-${randomUUID()}`;
  const lockMs = 1_000;
  const work = gatedWork();
  // The test's instance is busy with another review, so the child (started after) takes the next job.
  const survivor = instance(prefix, 'survivor', work, { concurrency: 1, lockMs });
  await survivor.enqueue(job(1, 'busy'));
  await waitFor(() => work.started.length === 1, 20_000, 'the survivor busy');
  const child = spawn(process.execPath, [CHILD, redis.url, prefix, String(lockMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  expect(await survivor.enqueue(job(7, 'k1'))).toBe('queued');
  await waitFor(() => output.includes('started acme/shop#7@k1'), 30_000, 'the child to start the job').catch((err) => {
    throw new Error(`${err.message}; child ${child.pid} exit ${child.exitCode}/${child.signalCode}, output:\n${output}`);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  work.release('acme/shop#1@busy');
  // The dead worker's lock expires; the survivor's stalled-job check puts the job back and runs it.
  await waitFor(() => work.started.some((s) => s.id === 'acme/shop#7@k1'), 30_000, 'the survivor to take the killed job');
  const taken = work.started.find((s) => s.id === 'acme/shop#7@k1')!;
  expect(taken.by).toBe('survivor');
  expect(taken.data).toEqual(job(7, 'k1')); // same check run: the review completes the run the handler started
  work.release('acme/shop#7@k1');
  await survivor.idle();
  expect(await survivor.has('acme/shop#7@k1')).toBe(false);
}, 90_000);

it('shutdown: the running job finishes within the grace period; past it, it is stopped and resumed by another instance', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work);
  await a.enqueue(job(1, 'g1'));
  await waitFor(() => work.started.length === 1, 20_000, 'job 1 running');
  const finishing = a.shutdown(60_000);
  expect(a.draining).toBe(true);
  expect(await a.enqueue(job(2, 'r'))).toBe('refused');
  work.release('acme/shop#1@g1');
  await finishing;
  expect(work.stopped).toEqual({});

  const b = instance(prefix, 'B', work);
  await b.enqueue(job(3, 'g3'));
  await waitFor(() => work.started.length === 2, 20_000, 'job 3 running on B');
  await b.shutdown(10); // past the grace period: stopped with `shutdown`, so its check gets a Re-run button
  expect(work.stopped['acme/shop#3@g3']).toEqual({ kind: 'shutdown' });
  const c = instance(prefix, 'C', work);
  await waitFor(() => work.started.length === 3, 20_000, 'job 3 resumed on C');
  const resumed = work.started[2]!;
  expect(resumed).toMatchObject({ id: 'acme/shop#3@g3', by: 'C' });
  // without its run id: the resumed review finds the run on the commit again and sets it in progress
  expect(resumed.data.checkRunId).toBeUndefined();
  work.release('acme/shop#3@g3');
  await c.idle();
}, 60_000);

it('the start of a review is claimed by one instance: the other drops its delivery until the claim lapses or is given back', async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  const a = instance(prefix, 'A', work);
  const b = instance(prefix, 'B', work);
  const id = 'acme/shop#9@c1';
  const [first, second] = await Promise.all([a.claim!(id, 60_000), b.claim!(id, 60_000)]);
  expect([first, second].sort()).toEqual([false, true]);
  expect(await a.claim!(id, 60_000)).toBe(false);
  // given back (the start failed before the job was queued): the next delivery may start it
  await (first ? a : b).unclaim!(id);
  expect(await b.claim!(id, 200)).toBe(true);
  // a claim lapses
  await new Promise((r) => setTimeout(r, 400));
  expect(await a.claim!(id, 60_000)).toBe(true);
}, 60_000);

it('a job whose worker dies every time is given up after maxStalled losses: handed over stopped to one instance, once; a Re-run queues it afresh', async () => {
  const prefix = `t-${randomUUID()}`;
  const lockMs = 1_000;
  const data = job(7, 'crash');
  const id = 'acme/shop#7@crash';
  // maxStalled 1: the first loss is retried (the second child runs it again), the second is one too many
  await dieRunning(redis.url, prefix, lockMs, 1, id, data);
  await dieRunning(redis.url, prefix, lockMs, 1, id);
  const work = gatedWork();
  const a = instance(prefix, 'A', work, { lockMs, maxStalled: 1 });
  const b = instance(prefix, 'B', work, { lockMs, maxStalled: 1 });
  await waitFor(() => id in work.stopped, 30_000, 'the job handed over given up');
  expect(work.stopped[id]).toEqual({ kind: 'given-up', why: 'the instance running it stopped 2 times before it finished (a crash or an out-of-memory kill)' });
  await a.idle();
  // long enough for another stalled check of both instances: nobody hands it over again
  await new Promise((r) => setTimeout(r, 2 * lockMs));
  expect(work.handedStopped.map((h) => h.id)).toEqual([id]);
  expect(work.started).toEqual([]); // its review was not started a third time
  expect(await a.has(id)).toBe(false);
  // the Re-run button queues the same id again, with a clean record
  expect(await b.enqueue(data)).toBe('queued');
  await waitFor(() => work.started.length === 1, 20_000, 'the re-run running');
  work.release(id);
  await a.idle();
  expect(work.handedStopped).toHaveLength(1);
}, 120_000);

it("a job whose start keeps failing in pyward's own bookkeeping is tried JOB_ATTEMPTS times, then handed over given up", async () => {
  const prefix = `t-${randomUUID()}`;
  const work = gatedWork();
  let calls = 0;
  const a = instance(prefix, 'A', work, {
    pausedUntil: () => {
      calls++;
      throw new Error('the rate-limit gate failed');
    },
  });
  await a.enqueue(job(5, 'e1'));
  await waitFor(() => 'acme/shop#5@e1' in work.stopped, 30_000, 'the job given up');
  expect(calls).toBe(JOB_ATTEMPTS);
  expect(work.stopped['acme/shop#5@e1']).toEqual({ kind: 'given-up', why: "pyward's queue could not start it (3 attempts; the instance logs say why)" });
  await a.idle();
  expect(work.handedStopped).toEqual([{ id: 'acme/shop#5@e1', by: 'A' }]);
  expect(work.started).toEqual([]);
}, 60_000);
