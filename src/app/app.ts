/** The pyward Probot application: wires the engine's ports (parser, clock, queue) into the handlers. */
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { advisorySourceFromEnv } from '../dependencies/advisories/select-source.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { pythonParser } from '../python/parser.js';
import { linkBaseFromEnv, ruleUrl, type LinkBase } from '../report/rule-links.js';
import { ALL_RULES } from '../rules/registry.js';
import { BlobCache, DEFAULT_BLOB_CACHE_BYTES } from './blob-cache.js';
import { createBullQueue } from './bullmq-queue.js';
import { DEFAULT_FAULT_POLICY, handleGitHubFaults, RateLimitGate, type FaultPolicy } from './github-faults.js';
import { registerHandlers } from './handlers.js';
import { openFileJournal } from './journal.js';
import { countRequests, createMetrics, observabilityHandler, type Metrics } from './observability.js';
import { startCheckRun, type AppIdentity } from './publisher.js';
import { createMemoryQueue, MAX_CRASHED_RUNS, reviewJobId, type ReviewProcessor, type ReviewQueue, type StopReason } from './queue.js';
import { reviewPullRequest, type ReviewDeps, type ReviewSummary } from './review-pull-request.js';
import { rulePagesHandler } from './rule-pages.js';
import { packageRepository } from '../package-info.js';

/** Default grace period for in-flight reviews on SIGTERM/SIGINT (`PYWARD_SHUTDOWN_GRACE_MS`). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

export interface AppOptions {
  /** Reviews run at once; the rest wait in the queue. */
  concurrency?: number;
  /** Reviews of one installation run at once (`PYWARD_INSTALLATION_CONCURRENCY`, default half the slots). */
  perInstallation?: number;
  timeoutMs?: number;
  /** A queue other than the in-process one (a shared one); built from the processor pyward hands it. */
  queue?: (process: ReviewProcessor) => ReviewQueue;
  /** Clock for scan durations (tests pin it). */
  now?: () => number;
  /** Advisory source; default: PYWARD_ADVISORY_DB's local database, else the OSV API. */
  advisories?: AdvisorySource;
  /** Retry waits and budgets (tests pass a sleep that returns at once). */
  faults?: Partial<FaultPolicy>;
  /** Where the in-process queue journals accepted reviews (`PYWARD_STATE_DIR`); none = not journaled. */
  stateDir?: string;
  /** Bytes of file contents kept across reviews (`PYWARD_BLOB_CACHE_BYTES`). */
  blobCacheBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Where findings link (default: PYWARD_PUBLIC_URL's rule pages, else PYWARD_DOCS_URL / package.json's repository). */
  links?: LinkBase;
}

/** The app's id and slug (`GET /app`, as the app): asked once per process, again after a failure. */
function appIdentity(app: Probot): () => Promise<AppIdentity> {
  let known: Promise<AppIdentity> | undefined;
  return () =>
    (known ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data || typeof data.id !== 'number' || typeof data.slug !== 'string') throw new Error('GitHub did not say which app pyward is (GET /app)');
      return { id: data.id, slug: data.slug };
    })().catch((err: unknown) => {
      known = undefined;
      throw err;
    }));
}

export type PywardApp = ApplicationFunction & {
  queue: ReviewQueue;
  /** Stops taking reviews, lets running ones finish within `graceMs`, completes the rest with a Re-run button. */
  shutdown(graceMs?: number): Promise<void>;
  /** Resolves when the advisory database has been loaded (or failed to, which is logged). */
  ready: Promise<void>;
  /** Prometheus metrics (served on `/metrics` by Probot's server). */
  metrics: Metrics;
};

const positive = (value: string | undefined, fallback: number) => (value && Number(value) > 0 ? Number(value) : fallback);

export function createApp(options: AppOptions = {}): PywardApp {
  const env = options.env ?? process.env;
  let markReady: () => void = () => {};
  const fn = ((app: Probot, server?: ApplicationFunctionOptions) => {
    const policy: FaultPolicy = { ...DEFAULT_FAULT_POLICY, ...options.faults };
    const metrics = fn.metrics;
    const onRetry = (reason: string) => metrics.githubRetries.inc({ reason });
    try {
      server?.addHandler(observabilityHandler(metrics, () => fn.queue?.draining ?? false));
    } catch {
      // Probot without a server (tests that receive events directly): nothing to serve on.
    }
    // One line per delivery: what came in, for which repository and installation.
    app.onAny(async (context) => {
      const p = context.payload as { action?: string; repository?: { full_name?: string }; installation?: { id?: number }; pull_request?: { number?: number; head?: { sha?: string } } };
      app.log.info({ delivery: context.id, event: context.name, action: p.action, repo: p.repository?.full_name, installation: p.installation?.id, pr: p.pull_request?.number, sha: p.pull_request?.head?.sha }, 'webhook received');
    });
    const gate = new RateLimitGate(policy.now);
    const advisories = options.advisories ?? advisorySourceFromEnv(env);
    // Load a local advisory database now, not during the first review.
    const loading = (advisories as { load?: () => Promise<unknown> }).load?.();
    Promise.resolve(loading)
      .catch((err) => app.log.error({ err }, 'loading the advisory database failed; reviews will say the dependency check is unavailable'))
      .finally(() => markReady());
    const links = options.links ?? linkBaseFromEnv(env, packageRepository());
    const ruleIds = new Set(ALL_RULES.map((r) => r.meta.id));
    const deps: ReviewDeps = {
      advisories: () => advisories,
      parser: pythonParser,
      now: options.now ?? (() => performance.now()),
      docsUrl: (id) => ruleUrl(id, links, (x) => ruleIds.has(x)),
      timeoutMs: options.timeoutMs ?? positive(env.PYWARD_SCAN_TIMEOUT_MS, 300_000),
      identity: appIdentity(app),
      blobCache: new BlobCache(options.blobCacheBytes ?? positive(env.PYWARD_BLOB_CACHE_BYTES, DEFAULT_BLOB_CACHE_BYTES)),
    };
    const processReview: ReviewProcessor = async (data, signal) => {
      const log = app.log.child({ review: reviewJobId(data) });
      const started = performance.now();
      const raw = await app.auth(data.installationId);
      // Registered before the fault handling, so that every attempt counts.
      const requests = countRequests(raw, metrics, data.installationId);
      // A job handed over stopped only finds and completes its run: those few requests must not be aborted too.
      const octokit = handleGitHubFaults(raw, { policy, gate, installationId: data.installationId, ...(signal.aborted ? {} : { signal }), log, onRetry });
      const at = { owner: data.repo.owner, repo: data.repo.repo };
      let outcome: ReviewSummary | undefined;
      log.info({ repo: `${data.repo.owner}/${data.repo.repo}`, pr: data.pr.number, sha: data.pr.headSha, installation: data.installationId, stopped: signal.aborted || undefined }, 'review started');
      try {
        // Resumed after a restart or a rate-limit pause: the run on the commit is found again and set in progress.
        const checkRunId = data.checkRunId ?? (await startCheckRun(octokit, at, data.pr.headSha, true));
        outcome = await reviewPullRequest({ octokit, log, repo: data.repo, pr: data.pr, checkRunId, signal }, deps);
      } finally {
        const seconds = (performance.now() - started) / 1000;
        const conclusion = outcome?.stopped ?? outcome?.conclusion ?? 'not_finished';
        metrics.reviews.inc({ conclusion });
        metrics.reviewSeconds.observe({ conclusion }, seconds);
        log.info(
          {
            repo: `${data.repo.owner}/${data.repo.repo}`,
            pr: data.pr.number,
            sha: data.pr.headSha,
            installation: data.installationId,
            conclusion,
            files: outcome?.files,
            findings: outcome?.findings,
            durationMs: Math.round(seconds * 1000),
            apiCalls: requests.calls,
            rateLimitRemaining: requests.rateLimitRemaining,
          },
          'review finished',
        );
      }
    };
    const concurrency = options.concurrency ?? positive(env.PYWARD_CONCURRENCY, 4);
    const perInstallation = options.perInstallation ?? positive(env.PYWARD_INSTALLATION_CONCURRENCY, Math.max(1, Math.ceil(concurrency / 2)));
    const stateDir = options.stateDir ?? env.PYWARD_STATE_DIR;
    const onError = (id: string, err: unknown) => app.log.error({ err, review: id }, 'review job failed');
    // With Redis, the queue is shared by every instance and Redis keeps what a restart would lose: no journal.
    const shared: ((process: ReviewProcessor) => ReviewQueue) | undefined =
      options.queue ??
      (env.REDIS_URL
        ? (process) =>
            createBullQueue({
              redisUrl: env.REDIS_URL!,
              process,
              concurrency,
              // Across every instance: one organisation gets at most this many reviews at once.
              perInstallation: positive(env.PYWARD_INSTALLATION_CONCURRENCY, perInstallation),
              ...(env.PYWARD_REDIS_PREFIX ? { prefix: env.PYWARD_REDIS_PREFIX } : {}),
              ...(env.PYWARD_REDIS_LOCK_MS ? { lockMs: positive(env.PYWARD_REDIS_LOCK_MS, 30_000) } : {}),
              pausedUntil: (id) => gate.pausedUntil(id),
              onError,
            })
        : undefined);
    const journal = !shared && stateDir ? openFileJournal(stateDir) : undefined;
    const queue =
      shared?.(processReview) ??
      createMemoryQueue({
        process: processReview,
        concurrency,
        perInstallation,
        pausedUntil: (id) => gate.pausedUntil(id),
        now: policy.now,
        sleep: policy.sleep,
        ...(journal ? { journal } : {}),
        onError,
      });
    fn.queue = queue;
    registerHandlers(app, {
      queue,
      guard: (octokit, installationId) => {
        countRequests(octokit as never, metrics, installationId);
        handleGitHubFaults(octokit, { policy, gate, installationId, log: app.log, onRetry });
      },
    });
    if (journal) {
      if (journal.recovered.skipped) app.log.warn({ skipped: journal.recovered.skipped, path: journal.path }, 'unreadable journal lines skipped');
      if (journal.recovered.open.length) app.log.info({ reviews: journal.recovered.open.length }, 'resuming reviews a restart interrupted');
      for (const { checkRunId: _run, ...data } of journal.recovered.open) {
        const id = reviewJobId(data);
        const crashes = journal.recovered.crashes[id] ?? 0;
        if (crashes <= MAX_CRASHED_RUNS) {
          void queue.enqueue(data);
          continue;
        }
        // pyward died every time it ran this review (a crash, an OOM kill): resuming it again would only repeat that.
        app.log.warn({ review: id, crashes }, 'review given up: pyward stopped every time it ran it');
        const stopped = new AbortController();
        stopped.abort({ kind: 'given-up', why: `pyward stopped ${crashes} times while running it (a crash or an out-of-memory kill)` } satisfies StopReason);
        void processReview(data, stopped.signal)
          .catch((err) => onError(id, err))
          .finally(() => journal.done(id));
      }
    }
    // Probot without its HTTP server (tests, serverless) has no routes; the pages are then simply not served.
    if (server?.addHandler) {
      try {
        server.addHandler(rulePagesHandler(ALL_RULES));
      } catch (err) {
        app.log.debug({ err }, 'no HTTP server: rule pages are not served');
      }
    }
  }) as unknown as PywardApp;
  fn.ready = new Promise<void>((resolve) => (markReady = resolve));
  fn.metrics = createMetrics(async () => {
    const q = fn.queue as (ReviewQueue & { depth?: () => Promise<number> }) | undefined;
    return q?.depth ? q.depth() : (q?.size ?? 0);
  });
  fn.shutdown = async (graceMs) => {
    await fn.queue?.shutdown(graceMs ?? positive(env.PYWARD_SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS));
  };
  return fn;
}
