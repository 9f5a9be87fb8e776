/**
 * What pyward does when GitHub says no. Every request of a review goes through {@link handleGitHubFaults}:
 * 5xx, network failures, 429 and secondary rate limits are retried, waiting as GitHub asks (`retry-after`,
 * else 60 s for a secondary limit, else exponential back-off), within a bounded total wait; primary
 * rate-limit exhaustion (`x-ratelimit-remaining: 0`) pauses the installation's reviews until
 * `x-ratelimit-reset` instead of holding a worker. Requests marked critical (the check-run completion) get a
 * longer budget and wait out even a primary limit, so a check never stays in progress.
 *
 * GraphQL has its own points budget and answers its limits in two ways: an HTTP 403/429 (then
 * `x-ratelimit-resource: graphql`), or an HTTP 200 whose `errors` say `RATE_LIMITED` or name the secondary
 * limit. Both wait as GitHub asks within the same bounded total wait (never an installation-wide pause: the
 * REST quota is untouched); past it the GraphQL answer goes back to the caller, whose read then fails.
 *
 * Probot's own plugins are not enough: @octokit/plugin-retry ignores `retry-after` and retries 429 after
 * 1, 4, 9 s; Probot's throttling handlers do not retry secondary limits at all (the stuck check) and
 * sleep up to an hour inside a request on a primary limit; neither wait can be replaced in tests.
 */
import type { ProbotOctokit } from 'probot';

/** GitHub's rule when a secondary limit comes without `retry-after`: wait at least a minute. */
export const SECONDARY_FALLBACK_WAIT_MS = 60_000;

export interface FaultPolicy {
  /** Waits; tests pass one that returns at once (and may advance their clock). */
  sleep: (ms: number) => Promise<void>;
  /** Wall-clock ms, compared with `x-ratelimit-reset` (epoch seconds). */
  now: () => number;
  /** Attempts of one request, the first included. */
  maxAttempts: number;
  /** Total wait allowed for one ordinary request. */
  maxWaitMs: number;
  /** Total wait allowed for a critical request (the check-run completion): long enough for a primary reset. */
  criticalMaxWaitMs: number;
}

export const DEFAULT_FAULT_POLICY: FaultPolicy = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  maxAttempts: 6,
  maxWaitMs: 3 * 60_000,
  criticalMaxWaitMs: 65 * 60_000,
};

export type FaultVerdict =
  /** Try again after `waitMs`. */
  | { kind: 'retry'; waitMs: number; why: string }
  /** The installation's quota is spent until `resetAtMs`. */
  | { kind: 'primary'; resetAtMs: number }
  /** Not something waiting fixes (404, 422, 401, a bug). */
  | { kind: 'fatal' };

interface ErrorLike {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | number | undefined> };
  headers?: Record<string, string | number | undefined>;
}

function header(err: ErrorLike, name: string): string | undefined {
  const value = err.response?.headers?.[name] ?? err.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** Seconds in `retry-after` as ms; undefined when absent or not a number of seconds. */
function retryAfterMs(err: ErrorLike): number | undefined {
  const value = header(err, 'retry-after');
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}

/** 1 s, 2 s, 4 s ... at most 30 s, for faults that name no wait. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** When a spent budget is back (`x-ratelimit-reset` + 1 s); a reset in the past (clock skew, a stale header) still means "wait a moment", never "hammer on". */
function resetAt(err: ErrorLike, nowMs: number): number {
  const reset = Number(header(err, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(reset * 1000 + 1000, nowMs + 1000) : nowMs + SECONDARY_FALLBACK_WAIT_MS;
}

/**
 * What a failed request calls for; `attempt` is the attempt that failed (1 = the first); `graphql`: a
 * request to the GraphQL API, whose spent budget is waited for (bounded) rather than pausing the
 * installation, like `x-ratelimit-resource: graphql`. Pure.
 */
export function classifyFault(error: unknown, attempt: number, nowMs: number, graphql = false): FaultVerdict {
  const err = (error ?? {}) as ErrorLike;
  const status = err.status;
  const remaining = header(err, 'x-ratelimit-remaining');
  if (remaining === '0' && (status === 403 || status === 429)) {
    if (graphql || header(err, 'x-ratelimit-resource') === 'graphql') return { kind: 'retry', waitMs: retryAfterMs(err) ?? resetAt(err, nowMs) - nowMs, why: 'GraphQL rate limit' };
    return { kind: 'primary', resetAtMs: resetAt(err, nowMs) };
  }
  const after = retryAfterMs(err);
  if (status === 429) return { kind: 'retry', waitMs: after ?? SECONDARY_FALLBACK_WAIT_MS, why: 'HTTP 429' };
  if (status === 403 && (after !== undefined || /secondary rate limit|abuse detection/i.test(err.message ?? ''))) {
    return { kind: 'retry', waitMs: after ?? SECONDARY_FALLBACK_WAIT_MS, why: 'secondary rate limit' };
  }
  // Octokit reports a failed connection as status 500 with no response; a request with no status at all is a bug.
  if (status !== undefined && status >= 500) return { kind: 'retry', waitMs: after ?? backoffMs(attempt), why: `HTTP ${status}` };
  return { kind: 'fatal' };
}

interface GraphqlAnswer {
  headers?: Record<string, string | number | undefined>;
  data?: unknown;
}

/**
 * A GraphQL answer (HTTP 200) that is a rate limit: `errors` of type `RATE_LIMITED` (the points budget is
 * spent: wait for `x-ratelimit-reset`) or naming the secondary limit (wait `retry-after`, else a minute).
 * Undefined for any other answer. Pure.
 */
export function classifyGraphqlAnswer(answer: GraphqlAnswer, nowMs: number): { waitMs: number; why: string } | undefined {
  const errors = (answer.data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const asError: ErrorLike = { headers: answer.headers ?? {} };
  const after = retryAfterMs(asError);
  if (errors.some((e) => (e as { type?: unknown })?.type === 'RATE_LIMITED')) {
    return { waitMs: after ?? (header(asError, 'x-ratelimit-remaining') === '0' ? resetAt(asError, nowMs) - nowMs : SECONDARY_FALLBACK_WAIT_MS), why: 'GraphQL rate limit' };
  }
  if (errors.some((e) => /secondary rate limit|abuse detection/i.test(String((e as { message?: unknown })?.message ?? '')))) {
    return { waitMs: after ?? SECONDARY_FALLBACK_WAIT_MS, why: 'GraphQL secondary rate limit' };
  }
  return undefined;
}

const isGraphql = (options: { url?: string }) => /(^|\/)graphql$/.test(options.url ?? '');

export class PrimaryRateLimitError extends Error {
  override name = 'PrimaryRateLimitError';
  constructor(readonly installationId: number, readonly resetAtMs: number) {
    super(`GitHub's rate limit for installation ${installationId} is used up until ${new Date(resetAtMs).toISOString()}`);
  }
}

/** Installations whose primary rate limit is spent, and until when (shared by every review of the process). */
export class RateLimitGate {
  private readonly until = new Map<number, number>();
  constructor(private readonly now: () => number) {}

  pause(installationId: number, untilMs: number): void {
    this.until.set(installationId, Math.max(untilMs, this.until.get(installationId) ?? 0));
  }

  /** The end of the installation's pause, or undefined when it may make requests. */
  pausedUntil(installationId: number): number | undefined {
    const until = this.until.get(installationId);
    if (until === undefined) return undefined;
    if (until <= this.now()) {
      this.until.delete(installationId);
      return undefined;
    }
    return until;
  }
}

export interface FaultHandling {
  policy: FaultPolicy;
  gate: RateLimitGate;
  installationId: number;
  /** Aborted when the review is superseded or shut down: ordinary requests stop, critical ones still go. */
  signal?: AbortSignal;
  log?: { warn: (obj: object, msg: string) => void };
  /** Called before each retry's wait (metrics). */
  onRetry?: (why: string) => void;
}

/** Marks a request as the one that must get through (`request: CRITICAL`). */
export const CRITICAL = { pywardCritical: true } as const;

/** Adds pyward's fault handling around every request of `octokit` (an installation's, one per review). */
export function handleGitHubFaults<T extends Pick<ProbotOctokit, 'hook'>>(octokit: T, handling: FaultHandling): T {
  const { policy, gate, installationId, signal, log, onRetry } = handling;
  octokit.hook.wrap('request', async (request, options) => {
    const marks = options.request as { pywardCritical?: boolean; pywardNotIdempotent?: boolean } | undefined;
    const critical = marks?.pywardCritical === true;
    const notIdempotent = marks?.pywardNotIdempotent === true;
    // retries: 0 switches @octokit/plugin-retry off for this request: the waits here honour retry-after and are bounded.
    options.request = { ...options.request, retries: 0, ...(signal && !critical ? { signal } : {}) };
    const budget = critical ? policy.criticalMaxWaitMs : policy.maxWaitMs;
    const graphql = isGraphql(options);
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      if (!critical) {
        signal?.throwIfAborted();
        const paused = gate.pausedUntil(installationId);
        if (paused !== undefined) throw new PrimaryRateLimitError(installationId, paused);
      }
      try {
        const answer = await request(options);
        const limited = graphql ? classifyGraphqlAnswer(answer, policy.now()) : undefined;
        // Out of attempts or of waiting: the answer goes back as it is, and octokit.graphql throws its errors.
        if (!limited || attempt >= policy.maxAttempts || waited + limited.waitMs > budget) return answer;
        log?.warn({ attempt, waitMs: limited.waitMs, route: `${options.method} ${options.url}` }, 'GitHub GraphQL rate limit; retrying');
        onRetry?.(limited.why);
        await policy.sleep(limited.waitMs);
        waited += limited.waitMs;
      } catch (err) {
        if (signal?.aborted && !critical) throw err;
        const verdict = classifyFault(err, attempt, policy.now(), graphql);
        if (verdict.kind === 'primary') gate.pause(installationId, verdict.resetAtMs);
        if (verdict.kind === 'fatal' || attempt >= policy.maxAttempts) throw err;
        // A POST answered 5xx may have been applied: its caller checks before trying again. A 429/403 was refused.
        if (notIdempotent && ((err as ErrorLike).status ?? 500) >= 500) throw err;
        let waitMs: number;
        if (verdict.kind === 'primary') {
          if (!critical) throw new PrimaryRateLimitError(installationId, verdict.resetAtMs);
          waitMs = Math.max(0, verdict.resetAtMs - policy.now());
        } else {
          waitMs = verdict.waitMs;
        }
        if (waited + waitMs > budget) throw err;
        log?.warn({ status: (err as ErrorLike).status, attempt, waitMs, route: `${options.method} ${options.url}` }, 'GitHub request failed; retrying');
        onRetry?.(verdict.kind === 'primary' ? 'primary rate limit' : verdict.why);
        await policy.sleep(waitMs);
        waited += waitMs;
      }
    }
  });
  return octokit;
}
