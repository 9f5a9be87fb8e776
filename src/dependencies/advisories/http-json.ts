/**
 * One JSON request with a timeout and retries. Transient failures (429, 5xx, timeouts, network errors other
 * than a host name that does not resolve) are retried with exponential back-off, or after the server's `Retry-After`; what remains after the
 * retries becomes an {@link AdvisorySourceError}, so an outage is reported, never read as "no advisories".
 */
import { AdvisorySourceError } from './source.js';

export interface HttpPolicy {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  /** Further attempts after the first. */
  retries: number;
  /** Back-off before retry n (0-based) is `baseDelayMs * 2^n` unless the server sent `Retry-After`. */
  baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the lookup fails as rate-limited at once. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  userAgent: string;
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `fetch failed (ENOTFOUND)`, `no answer within 10000 ms`: what went wrong below HTTP, in a few words. */
export function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? 'network error'} (${cause})` : (e?.message ?? String(err));
}

/** GET or POST `url` and parse the JSON answer. `label` names the request in error messages. */
export async function requestJson(
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  policy: HttpPolicy,
  label: string,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': policy.userAgent };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);

  for (let attempt = 0; ; attempt++) {
    let failure: AdvisorySourceError;
    let retryAfterMs: number | undefined;
    try {
      const res = await policy.fetch(url, { method: init.method, headers, body, signal: AbortSignal.timeout(policy.timeoutMs) });
      // Read the body under the same timeout: a server can stall after the headers.
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch (err) {
          throw new AdvisorySourceError('invalid-response', `${label}: the answer is not JSON (${(err as Error).message})`, { status: res.status, cause: err });
        }
      }
      if (res.status === 429 || res.status >= 500) {
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), policy.now());
        failure = new AdvisorySourceError(res.status === 429 ? 'rate-limited' : 'unavailable', `${label}: HTTP ${res.status}`, { status: res.status });
      } else if (res.status === 404) {
        throw new AdvisorySourceError('not-found', `${label}: HTTP 404`, { status: 404 });
      } else {
        // Another 4xx: our request is wrong; asking again will not change the answer.
        throw new AdvisorySourceError('invalid-response', `${label}: HTTP ${res.status} ${text.slice(0, 200)}`.trim(), { status: res.status });
      }
    } catch (err) {
      if (err instanceof AdvisorySourceError) throw err;
      failure = new AdvisorySourceError('unavailable', `${label}: ${describeNetworkError(err, policy.timeoutMs)}`, { cause: err });
      // The host name does not resolve (offline, or a wrong PYWARD_OSV_URL): seconds of back-off will not change that.
      if ((err as { cause?: { code?: string } })?.cause?.code === 'ENOTFOUND') throw failure;
    }

    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
      throw new AdvisorySourceError('rate-limited', `${failure.message}; the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s`, {
        status: failure.status,
      });
    }
    if (attempt >= policy.retries) {
      const tries = attempt + 1;
      throw new AdvisorySourceError(failure.kind, `${failure.message} (${tries} attempt${tries === 1 ? '' : 's'})`, {
        status: failure.status,
        cause: failure.cause,
      });
    }
    await policy.sleep(retryAfterMs ?? policy.baseDelayMs * 2 ** attempt);
  }
}
