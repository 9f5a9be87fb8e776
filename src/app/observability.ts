/**
 * What operators watch: Prometheus metrics (`GET /metrics`, prom-client, one registry per app so that
 * several apps in one process do not share counters) and the load balancer's health check (`GET /healthz`:
 * 200 while taking webhooks, 503 from the moment a shutdown starts, so traffic moves to other instances
 * while in-flight reviews finish). Also counts GitHub requests on a client, for the metrics and the
 * per-review log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  reviews: Counter<'conclusion'>;
  reviewSeconds: Histogram<'conclusion'>;
  githubRequests: Counter<'status'>;
  githubRetries: Counter<'reason'>;
  rateLimitRemaining: Gauge<'installation'>;
}

export function createMetrics(queueDepth: () => number | Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pyward_' });
  const metrics: Metrics = {
    registry,
    reviews: new Counter({ name: 'pyward_reviews_total', help: 'Reviews ended, by check-run conclusion (superseded and interrupted ones included)', labelNames: ['conclusion'], registers: [registry] }),
    reviewSeconds: new Histogram({
      name: 'pyward_review_duration_seconds',
      help: 'Time from a review job starting to its check run completed',
      labelNames: ['conclusion'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    }),
    githubRequests: new Counter({ name: 'pyward_github_requests_total', help: 'GitHub API requests sent (every attempt), by HTTP status', labelNames: ['status'], registers: [registry] }),
    githubRetries: new Counter({ name: 'pyward_github_retries_total', help: 'GitHub API requests retried, by reason', labelNames: ['reason'], registers: [registry] }),
    rateLimitRemaining: new Gauge({ name: 'pyward_github_rate_limit_remaining', help: 'x-ratelimit-remaining of the last GitHub answer, per installation', labelNames: ['installation'], registers: [registry] }),
  };
  new Gauge({
    name: 'pyward_queue_depth',
    help: 'Reviews waiting or running (with REDIS_URL: in the shared queue, across instances)',
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });
  return metrics;
}

export interface RequestCount {
  calls: number;
  rateLimitRemaining?: number;
}

interface HookedClient {
  hook: {
    after: (name: 'request', fn: (response: { status: number; headers: Record<string, unknown> }) => void) => void;
    error: (name: 'request', fn: (error: unknown) => never) => void;
  };
}

/**
 * Counts every request `octokit` sends (register before pyward's fault handling, so that each retry counts)
 * into `count` and the metrics. Returns `count`.
 */
export function countRequests(octokit: HookedClient, metrics: Metrics | undefined, installationId: number | undefined, count: RequestCount = { calls: 0 }): RequestCount {
  const seen = (status: number | undefined, headers: Record<string, unknown> | undefined) => {
    count.calls++;
    metrics?.githubRequests.inc({ status: status === undefined ? 'network' : String(status) });
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    if (headers?.['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining)) {
      count.rateLimitRemaining = remaining;
      if (installationId !== undefined) metrics?.rateLimitRemaining.set({ installation: String(installationId) }, remaining);
    }
  };
  octokit.hook.after('request', (response) => seen(response.status, response.headers));
  octokit.hook.error('request', (error) => {
    const e = error as { status?: number; response?: { headers?: Record<string, unknown> } };
    seen(e.status, e.response?.headers);
    throw error;
  });
  return count;
}

/** `GET /healthz` and `GET /metrics` for Probot's server (`addHandler`); other requests fall through. */
export function observabilityHandler(metrics: Metrics, draining: () => boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      const down = draining();
      res.writeHead(down ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ status: down ? 'draining' : 'ready' }));
      return true;
    }
    if (path === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      return true;
    }
    return false;
  };
}
