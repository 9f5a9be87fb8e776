/**
 * In-memory job queue with bounded concurrency: webhook handlers return at once and scans run behind
 * them, a few at a time. One process; scale-out would swap this for a shared queue behind the same API.
 */
export interface Queue {
  /** Runs `job` when a slot is free; errors are passed to `onError`, never thrown at the caller. */
  push(name: string, job: () => Promise<void>): void;
  /** Resolves when no job is queued or running (tests, graceful shutdown). */
  idle(): Promise<void>;
  readonly size: number;
}

export function createQueue(concurrency: number, onError: (name: string, err: unknown) => void): Queue {
  const waiting: { name: string; job: () => Promise<void> }[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  const next = () => {
    while (running < concurrency && waiting.length) {
      const { name, job } = waiting.shift()!;
      running++;
      job()
        .catch((err) => onError(name, err))
        .finally(() => {
          running--;
          next();
        });
    }
    if (running === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };
  return {
    push(name, job) {
      waiting.push({ name, job });
      queueMicrotask(next);
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get size() {
      return running + waiting.length;
    },
  };
}
