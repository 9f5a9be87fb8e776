/**
 * The review queue. Webhook handlers enqueue a job (plain data, so it can be journaled or sent to Redis)
 * and return; a processor runs it. The contract every implementation keeps (this in-process one, and a
 * shared BullMQ one later):
 * - a job's id is repo + PR + head sha ({@link reviewJobId}): a second enqueue of a queued or running id
 *   is coalesced into the first;
 * - a newer head sha for the same PR supersedes the older job: its signal is aborted with a
 *   {@link StopReason} of kind `superseded` (queued jobs are still handed to the processor, aborted, so the
 *   processor completes their check runs);
 * - at most `perInstallation` jobs of one installation run at once, so one busy organisation cannot take
 *   every slot, and an installation paused by its rate limit waits without holding a slot;
 * - `shutdown(graceMs)` refuses new jobs, lets running ones finish within the grace period, then aborts
 *   the rest (`shutdown`), running and queued alike; the processor completes them with a Re-run button and
 *   the journal keeps them for the next start. The journal also records when a review starts and stops, so a
 *   review whose process dies every time it runs it is given up at a start rather than resumed for ever.
 */
import type { PullRequestInfo } from './pull-requests.js';

export interface ReviewJobData {
  installationId: number;
  repo: { owner: string; repo: string; defaultBranch: string; htmlUrl: string };
  pr: PullRequestInfo;
  /** The run the handler started; undefined = the processor starts (or reuses) it (resumed or rate-limited jobs). */
  checkRunId?: number;
}

/**
 * Why a job's signal was aborted: a newer head of its PR, a shutdown, or the queue gave the job up (its
 * worker died every time it ran it, or the queue could not run it): `why` completes "could not finish: ...".
 */
export type StopReason = { kind: 'superseded'; bySha: string } | { kind: 'shutdown' } | { kind: 'given-up'; why: string };

/** Thrown by a processor for a job that must run again later (its installation's rate limit is spent). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(readonly notBeforeMs: number, message: string) {
    super(message);
  }
}

/**
 * Runs of one review its process may die in (a crash, an out-of-memory kill) before it is given up: the next
 * run completes its check as incomplete with a Re-run button instead. The shared queue's `maxStalled` default.
 */
export const MAX_CRASHED_RUNS = 2;

export type ReviewProcessor = (data: ReviewJobData, signal: AbortSignal) => Promise<void>;

export type EnqueueResult = 'queued' | 'coalesced' | 'refused';

export interface ReviewQueue {
  enqueue(data: ReviewJobData): Promise<EnqueueResult>;
  /** Whether a job with this id is queued or running. */
  has(id: string): Promise<boolean>;
  /**
   * Claims the start of a review (its check run, then its job) for this instance, for `ttlMs`: false when
   * another instance claimed it first. Shared queues need it (two instances given deliveries of the same
   * head would each create a check run); the in-process queue has none (one process, see handlers.ts).
   */
  claim?(id: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (the start failed before the job was queued). */
  unclaim?(id: string): Promise<void>;
  /** Resolves when no job is queued or running (tests). */
  idle(): Promise<void>;
  /** See the module comment; resolves when every job has been handed back. */
  shutdown(graceMs: number): Promise<void>;
  readonly draining: boolean;
  readonly size: number;
}

/** Durable record of accepted jobs (src/app/journal.ts); the in-process queue's only state outside memory. */
export interface JobJournal {
  accepted(data: ReviewJobData): void;
  done(id: string): void;
  /** The job's review starts: a start the journal never sees end was cut short by the process dying. */
  started?(id: string): void;
  /** The job's review stopped without finishing (a shutdown, a rate-limit pause): not a crash. */
  interrupted?(id: string): void;
}

export function reviewJobId(data: Pick<ReviewJobData, 'repo' | 'pr'>): string {
  return `${data.repo.owner}/${data.repo.repo}#${data.pr.number}@${data.pr.headSha}`;
}

const prKey = (data: ReviewJobData) => `${data.repo.owner}/${data.repo.repo}#${data.pr.number}`;

export interface MemoryQueueOptions {
  process: ReviewProcessor;
  concurrency: number;
  perInstallation?: number;
  journal?: JobJournal;
  /** When an installation may run again (its rate-limit pause); undefined = now. */
  pausedUntil?: (installationId: number) => number | undefined;
  now?: () => number;
  /** Timer for rate-limit pauses; tests pass one that fires at once. */
  sleep?: (ms: number) => Promise<void>;
  onError: (id: string, err: unknown) => void;
}

interface Entry {
  id: string;
  data: ReviewJobData;
  controller: AbortController;
  notBefore: number;
  running: boolean;
  /** Its review is running (not just the completion of a stopped job's run). */
  reviewing?: boolean;
}

export function createMemoryQueue(options: MemoryQueueOptions): ReviewQueue {
  const { concurrency, journal } = options;
  const perInstallation = Math.max(1, Math.min(options.perInstallation ?? concurrency, concurrency));
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const entries = new Map<string, Entry>(); // insertion order = queue order
  const runningPerInstallation = new Map<number, number>();
  let running = 0;
  let draining = false;
  let idleWaiters: (() => void)[] = [];
  let wakeAt: number | undefined;

  const runnableAt = (e: Entry) => Math.max(e.notBefore, e.controller.signal.aborted ? 0 : (options.pausedUntil?.(e.data.installationId) ?? 0));

  const start = (e: Entry) => {
    e.running = true;
    running++;
    // A job handed over stopped only completes its run: not a start of its review.
    e.reviewing = !e.controller.signal.aborted;
    if (e.reviewing) journal?.started?.(e.id);
    const inst = e.data.installationId;
    runningPerInstallation.set(inst, (runningPerInstallation.get(inst) ?? 0) + 1);
    options
      .process(e.data, e.controller.signal)
      .then(
        () => finish(e, false),
        (err) => {
          if (err instanceof RetryLaterError && !e.controller.signal.aborted) {
            e.notBefore = err.notBeforeMs;
            return finish(e, true);
          }
          options.onError(e.id, err);
          finish(e, false);
        },
      )
      .finally(() => {
        running--;
        runningPerInstallation.set(inst, (runningPerInstallation.get(inst) ?? 1) - 1);
        pump();
      });
  };

  const finish = (e: Entry, again: boolean) => {
    e.running = false;
    // A review that started and stopped cleanly; one the journal sees start but not stop is a crash.
    if (e.reviewing && (again || (e.controller.signal.reason as StopReason | undefined)?.kind === 'shutdown')) journal?.interrupted?.(e.id);
    e.reviewing = false;
    if (again) {
      // back in line, behind what is waiting
      entries.delete(e.id);
      entries.set(e.id, e);
      return;
    }
    entries.delete(e.id);
    const reason = e.controller.signal.reason as StopReason | undefined;
    // A job stopped by shutdown stays in the journal: the next start resumes it.
    if (reason?.kind !== 'shutdown') journal?.done(e.id);
  };

  const pump = () => {
    const t = now();
    let earliest: number | undefined;
    for (const e of entries.values()) {
      if (e.running) continue;
      // Aborted jobs only complete their check run: they take no slot.
      if (e.controller.signal.aborted) {
        start(e);
        continue;
      }
      if (running >= concurrency) continue;
      if ((runningPerInstallation.get(e.data.installationId) ?? 0) >= perInstallation) continue;
      const at = runnableAt(e);
      if (at > t) {
        earliest = Math.min(earliest ?? at, at);
        continue;
      }
      start(e);
    }
    if (earliest !== undefined && (wakeAt === undefined || earliest < wakeAt)) {
      wakeAt = earliest;
      void sleep(earliest - t).then(() => {
        wakeAt = undefined;
        pump();
      });
    }
    if (entries.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const isIdle = () => entries.size === 0;

  return {
    async enqueue(data) {
      if (draining) return 'refused';
      const id = reviewJobId(data);
      if (entries.has(id)) return 'coalesced';
      for (const other of entries.values()) {
        if (prKey(other.data) === prKey(data) && other.data.pr.headSha !== data.pr.headSha && !other.controller.signal.aborted) {
          other.controller.abort({ kind: 'superseded', bySha: data.pr.headSha } satisfies StopReason);
        }
      }
      journal?.accepted(data);
      entries.set(id, { id, data, controller: new AbortController(), notBefore: 0, running: false });
      queueMicrotask(pump);
      return 'queued';
    },
    async has(id) {
      return entries.has(id);
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async shutdown(graceMs) {
      draining = true;
      // Queued jobs will not start: hand them back at once, aborted.
      for (const e of entries.values()) if (!e.running && !e.controller.signal.aborted) e.controller.abort({ kind: 'shutdown' } satisfies StopReason);
      pump();
      let timer: NodeJS.Timeout | undefined;
      const settled = this.idle();
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([settled, grace]);
      clearTimeout(timer);
      for (const e of entries.values()) if (!e.controller.signal.aborted) e.controller.abort({ kind: 'shutdown' } satisfies StopReason);
      pump();
      await settled;
    },
    get draining() {
      return draining;
    },
    get size() {
      return entries.size;
    },
  };
}
