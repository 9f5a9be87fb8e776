/** The in-process review queue's contract: ids, coalescing, supersede, per-installation bound, pauses, shutdown, journal. */
import { createMemoryQueue, RetryLaterError, reviewJobId, type JobJournal, type ReviewJobData, type StopReason } from '../../src/app/queue.js';

const job = (number: number, headSha: string, installationId = 1, repo = 'shop'): ReviewJobData => ({
  installationId,
  repo: { owner: 'acme', repo, defaultBranch: 'main', htmlUrl: `https://github.com/acme/${repo}` },
  pr: { number, headSha, baseSha: 'b'.repeat(40), draft: false, state: 'open' },
  checkRunId: number * 10,
});

/** A processor whose jobs finish when the test says so; records what ran and how it was stopped. */
function gatedProcessor() {
  const started: string[] = [];
  const stopped: Record<string, StopReason> = {};
  const release = new Map<string, () => void>();
  const process = (data: ReviewJobData, signal: AbortSignal) => {
    const id = reviewJobId(data);
    if (signal.aborted) {
      stopped[id] = signal.reason;
      return Promise.resolve();
    }
    started.push(id);
    return new Promise<void>((resolve) => {
      release.set(id, resolve);
      signal.addEventListener('abort', () => ((stopped[id] = signal.reason), resolve()));
    });
  };
  return { process, started, stopped, release: (id: string) => release.get(id)?.() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function recordingJournal(runs = false): JobJournal & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    accepted: (d) => events.push(`+${reviewJobId(d)}`),
    done: (id) => events.push(`-${id}`),
    ...(runs ? { started: (id: string) => events.push(`>${id}`), interrupted: (id: string) => events.push(`|${id}`) } : {}),
  };
}

it('the job id is repo, PR and head sha; a second enqueue of it is coalesced', async () => {
  const p = gatedProcessor();
  const queue = createMemoryQueue({ process: p.process, concurrency: 2, onError: () => {} });
  expect(reviewJobId(job(7, 'a1'))).toBe('acme/shop#7@a1');
  expect(await queue.enqueue(job(7, 'a1'))).toBe('queued');
  expect(await queue.enqueue(job(7, 'a1'))).toBe('coalesced');
  expect(await queue.has('acme/shop#7@a1')).toBe(true);
  await tick();
  p.release('acme/shop#7@a1');
  await queue.idle();
  expect(p.started).toEqual(['acme/shop#7@a1']);
  expect(await queue.has('acme/shop#7@a1')).toBe(false);
});

it('a newer head sha supersedes the running and the queued job of the same PR, not other PRs', async () => {
  const p = gatedProcessor();
  const queue = createMemoryQueue({ process: p.process, concurrency: 1, onError: () => {} });
  await queue.enqueue(job(7, 'old'));
  await tick(); // running
  await queue.enqueue(job(8, 'x')); // another PR, queued behind it
  // two more pushes in the same turn: 'mid' is superseded while still queued
  await Promise.all([queue.enqueue(job(7, 'mid')), queue.enqueue(job(7, 'new'))]);
  await tick();
  expect(p.stopped).toEqual({ 'acme/shop#7@old': { kind: 'superseded', bySha: 'mid' }, 'acme/shop#7@mid': { kind: 'superseded', bySha: 'new' } });
  // the superseded queued job never started its work
  expect(p.started).toEqual(['acme/shop#7@old', 'acme/shop#8@x']);
  p.release('acme/shop#8@x');
  await tick();
  p.release('acme/shop#7@new');
  await queue.idle();
  expect(p.started).toEqual(['acme/shop#7@old', 'acme/shop#8@x', 'acme/shop#7@new']);
});

it('one installation cannot take every slot', async () => {
  const p = gatedProcessor();
  const queue = createMemoryQueue({ process: p.process, concurrency: 3, perInstallation: 2, onError: () => {} });
  for (const n of [1, 2, 3, 4]) await queue.enqueue(job(n, 's', 100));
  await queue.enqueue(job(9, 's', 200));
  await tick();
  expect(p.started).toEqual(['acme/shop#1@s', 'acme/shop#2@s', 'acme/shop#9@s']);
  p.release('acme/shop#1@s');
  await tick();
  expect(p.started).toContain('acme/shop#3@s');
  for (const id of ['acme/shop#2@s', 'acme/shop#3@s', 'acme/shop#9@s']) p.release(id);
  await tick();
  p.release('acme/shop#4@s');
  await queue.idle();
  expect(p.started).toHaveLength(5);
});

it('a paused installation waits without holding a slot; a job that asks to retry later runs again after the pause', async () => {
  let now = 1_000;
  const pausedUntil = new Map<number, number>([[100, 5_000]]);
  const ran: string[] = [];
  let failOnce = true;
  const queue = createMemoryQueue({
    concurrency: 1,
    now: () => now,
    // the timer "fires" on the next turn, moving the clock to its end
    sleep: (ms) => {
      const end = now + ms;
      return new Promise((r) => setTimeout(() => ((now = Math.max(now, end)), r()), 0));
    },
    pausedUntil: (id) => ((pausedUntil.get(id) ?? 0) > now ? pausedUntil.get(id) : undefined),
    onError: () => {},
    process: async (data) => {
      ran.push(`${reviewJobId(data)}@${now}`);
      if (data.installationId === 200 && failOnce) {
        failOnce = false;
        throw new RetryLaterError(now + 10_000, 'rate limit');
      }
    },
  });
  await queue.enqueue(job(1, 's', 100));
  await queue.enqueue(job(2, 's', 200));
  await queue.idle();
  expect(ran).toEqual(['acme/shop#2@s@1000', 'acme/shop#1@s@5000', 'acme/shop#2@s@11000']);
});

it('shutdown: in-flight jobs finish within the grace period, queued ones are handed back stopped, new ones are refused', async () => {
  const p = gatedProcessor();
  const journal = recordingJournal();
  const queue = createMemoryQueue({ process: p.process, concurrency: 1, journal, onError: () => {} });
  await queue.enqueue(job(1, 's'));
  await tick();
  await queue.enqueue(job(2, 's'));
  const down = queue.shutdown(10_000);
  await tick();
  expect(queue.draining).toBe(true);
  expect(await queue.enqueue(job(3, 's'))).toBe('refused');
  expect(p.stopped).toEqual({ 'acme/shop#2@s': { kind: 'shutdown' } });
  p.release('acme/shop#1@s'); // finishes within the grace period
  await down;
  expect(p.stopped['acme/shop#1@s']).toBeUndefined();
  // the finished job leaves the journal; the interrupted one stays, for the next start
  expect(journal.events).toEqual(['+acme/shop#1@s', '+acme/shop#2@s', '-acme/shop#1@s']);
});

it('shutdown: a job still running after the grace period is stopped and stays journaled', async () => {
  const p = gatedProcessor();
  const journal = recordingJournal();
  const queue = createMemoryQueue({ process: p.process, concurrency: 1, journal, onError: () => {} });
  await queue.enqueue(job(1, 's'));
  await tick();
  await queue.shutdown(20);
  expect(p.stopped).toEqual({ 'acme/shop#1@s': { kind: 'shutdown' } });
  expect(journal.events).toEqual(['+acme/shop#1@s']);
  expect(queue.size).toBe(0);
});

it('a processor that throws is reported and the queue goes on', async () => {
  const errors: string[] = [];
  const queue = createMemoryQueue({
    concurrency: 1,
    onError: (id, err) => errors.push(`${id}: ${(err as Error).message}`),
    process: async (data) => {
      if (data.pr.number === 1) throw new Error('boom');
    },
  });
  await queue.enqueue(job(1, 's'));
  await queue.enqueue(job(2, 's'));
  await queue.idle();
  expect(errors).toEqual(['acme/shop#1@s: boom']);
});

it('the journal sees each run of a review start and end: a start with no end is a run the process died in', async () => {
  let now = 0;
  let limited = true;
  const journal = recordingJournal(true);
  const p = gatedProcessor();
  const queue = createMemoryQueue({
    concurrency: 1,
    journal,
    now: () => now,
    sleep: async (ms) => void (now += ms),
    onError: () => {},
    process: async (data, signal) => {
      // job 1: its rate limit is spent once (it stops and goes back in line), then it finishes
      if (data.pr.number === 1 && limited) {
        limited = false;
        throw new RetryLaterError(now + 1000, 'rate limit');
      }
      if (data.pr.number === 1) return;
      return p.process(data, signal);
    },
  });
  await queue.enqueue(job(1, 's'));
  await queue.idle();
  expect(journal.events).toEqual(['+acme/shop#1@s', '>acme/shop#1@s', '|acme/shop#1@s', '>acme/shop#1@s', '-acme/shop#1@s']);
  journal.events.length = 0;
  // job 2 is running, job 3 queued, when the process shuts down: 2 is stopped after its grace period (a clean
  // end of its run); 3 never started its review (only its run is completed)
  await queue.enqueue(job(2, 's'));
  await tick();
  await queue.enqueue(job(3, 's'));
  await queue.shutdown(20);
  expect(journal.events).toEqual(['+acme/shop#2@s', '>acme/shop#2@s', '+acme/shop#3@s', '|acme/shop#2@s']);
});
