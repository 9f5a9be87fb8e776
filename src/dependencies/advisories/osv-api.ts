/**
 * The OSV API (https://api.osv.dev) as an advisory source. `POST /v1/querybatch` answers ids only, so a
 * lookup is two steps: the ids for every package version (≤ 1000 queries a request, following each
 * query's `next_page_token`), then `GET /v1/vulns/{id}` once per distinct id. Both answers are cached
 * in memory for `cacheTtlMs`; a lookup that fails after the retries rejects, it never answers "none".
 */
import { normalizeName } from '../types.js';
import { mapLimit } from '../../engine/map-limit.js';
import { requestJson, type HttpPolicy } from './http-json.js';
import { readOsvZip } from './osv-files.js';
import { OSV_PYPI_EXPORT_URL } from './update.js';
import { AdvisorySourceError, isRawOsvRecord, packageKey, type AdvisorySource, type RawOsvRecord, type PackageVersion } from './source.js';
import { TtlCache } from './ttl-cache.js';

export const OSV_API_URL = 'https://api.osv.dev';
/** The most queries `POST /v1/querybatch` accepts in one request. */
export const OSV_BATCH_LIMIT = 1000;
/** Pages followed for one batch before giving up: a server that keeps sending tokens is broken. */
const MAX_PAGES = 100;

export interface OsvApiOptions {
  /** More missing records than this in one lookup: download the PyPI export instead (0 turns it off). */
  bulkThreshold?: number;
  /** The PyPI export (all.zip) to download in bulk mode. */
  exportUrl?: string;
  baseUrl?: string;
  /** Per request, headers and body (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors (default 3). */
  retries?: number;
  /** How long query answers and records are reused (default 1 h; 0 turns the cache off). */
  cacheTtlMs?: number;
  /** Parallel `GET /v1/vulns/{id}` requests (default 8). */
  concurrency?: number;
  /** First back-off delay, doubled on each retry (default 500 ms). */
  baseDelayMs?: number;
  /** Longest `Retry-After` waited for; a longer one fails the lookup as rate-limited (default 60 s). */
  maxRetryAfterMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof globalThis.fetch;
  userAgent?: string;
}

interface VulnRef {
  id: string;
  modified?: string;
}

interface BatchQuery {
  package: { name: string; ecosystem: 'PyPI' };
  version: string;
  page_token?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function invalid(message: string): AdvisorySourceError {
  return new AdvisorySourceError('invalid-response', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The querybatch answer: one result per query, in order; each result's ids and its next page token. */
function parseBatchAnswer(body: unknown, expected: number, label: string): { refs: VulnRef[]; next?: string }[] {
  if (!isObject(body) || !Array.isArray(body.results)) throw invalid(`${label}: the answer has no 'results' list`);
  if (body.results.length !== expected) throw invalid(`${label}: ${body.results.length} results for ${expected} queries`);
  return body.results.map((result: unknown, i) => {
    // A query without vulnerabilities is answered with `{}`.
    if (!isObject(result)) throw invalid(`${label}: result ${i} is not an object`);
    const { vulns = [], next_page_token: next } = result;
    if (!Array.isArray(vulns)) throw invalid(`${label}: result ${i} has a 'vulns' that is not a list`);
    const refs = vulns.map((v: unknown) => {
      if (!isObject(v) || typeof v.id !== 'string' || !v.id) throw invalid(`${label}: result ${i} lists a vulnerability without an id`);
      return typeof v.modified === 'string' ? { id: v.id, modified: v.modified } : { id: v.id };
    });
    if (next !== undefined && typeof next !== 'string') throw invalid(`${label}: result ${i} has a non-string next_page_token`);
    return next ? { refs, next } : { refs };
  });
}

/** The cached record is older than what the query answer says exists. */
function isStale(record: RawOsvRecord, modified: string | undefined): boolean {
  if (!modified || typeof record.modified !== 'string') return false;
  return Date.parse(record.modified) < Date.parse(modified);
}

/**
 * When a lookup needs more records than this, one download of OSV's PyPI export (all.zip) replaces the
 * per-record fetches: a lockfile full of old pins then costs two requests, not one per advisory.
 */
export const BULK_THRESHOLD = 20;

export function createOsvApiSource(options: OsvApiOptions = {}): AdvisorySource {
  const baseUrl = (options.baseUrl ?? OSV_API_URL).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 60 * 60 * 1000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const policy: HttpPolicy = {
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    sleep: options.sleep ?? defaultSleep,
    now,
    userAgent: options.userAgent ?? 'pyward (+https://github.com/pyward)',
  };
  const bulkThreshold = options.bulkThreshold ?? BULK_THRESHOLD;
  const exportUrl = options.exportUrl ?? OSV_PYPI_EXPORT_URL;
  const queries = new TtlCache<VulnRef[]>(ttl, now);
  const records = new TtlCache<RawOsvRecord>(ttl, now);
  // Two reviews running at once share a record fetch instead of making it twice.
  const inFlight = new Map<string, Promise<RawOsvRecord>>();

  /** The ids for ≤ OSV_BATCH_LIMIT queries, every page of each. */
  async function queryBatch(batch: BatchQuery[]): Promise<VulnRef[][]> {
    const refs: VulnRef[][] = batch.map(() => []);
    let pending = batch.map((query, index) => ({ index, query }));
    for (let page = 1; pending.length; page++) {
      if (page > MAX_PAGES) throw invalid(`OSV querybatch: still sending page tokens after ${MAX_PAGES} pages`);
      const label = `OSV querybatch (${pending.length} quer${pending.length === 1 ? 'y' : 'ies'}${page > 1 ? `, page ${page}` : ''})`;
      const body = await requestJson(`${baseUrl}/v1/querybatch`, { method: 'POST', body: { queries: pending.map((p) => p.query) } }, policy, label);
      const answer = parseBatchAnswer(body, pending.length, label);
      const following: typeof pending = [];
      answer.forEach((result, i) => {
        const { index, query } = pending[i];
        refs[index].push(...result.refs);
        if (result.next) following.push({ index, query: { ...query, page_token: result.next } });
      });
      pending = following;
    }
    return refs;
  }

  async function fetchRecord(id: string): Promise<RawOsvRecord> {
    const label = `OSV vulnerability ${id}`;
    const body = await requestJson(`${baseUrl}/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' }, policy, label);
    if (!isRawOsvRecord(body)) throw invalid(`${label}: the answer is not an OSV record`);
    records.set(id, body);
    return body;
  }

  /** Loads every PyPI record from the export into the record cache; false when the download fails. */
  async function loadExport(): Promise<boolean> {
    try {
      const res = await policy.fetch(exportUrl, { headers: { 'user-agent': policy.userAgent }, signal: AbortSignal.timeout(Math.max(policy.timeoutMs, 60_000)) });
      if (!res.ok) return false;
      const { records: all } = readOsvZip(Buffer.from(await res.arrayBuffer()));
      for (const r of all) records.set(r.id, r);
      return all.length > 0;
    } catch {
      return false; // the per-record path still works, only slower
    }
  }

  function record(ref: VulnRef): Promise<RawOsvRecord> {
    const cached = records.get(ref.id);
    if (cached && !isStale(cached, ref.modified)) return Promise.resolve(cached);
    let pending = inFlight.get(ref.id);
    if (!pending) {
      pending = fetchRecord(ref.id).finally(() => inFlight.delete(ref.id));
      inFlight.set(ref.id, pending);
    }
    return pending;
  }

  return {
    name: `OSV API (${baseUrl})`,
    async advisoriesFor(packages: PackageVersion[]): Promise<Map<string, RawOsvRecord[]>> {
      const wanted = new Map<string, PackageVersion>();
      for (const p of packages) wanted.set(packageKey(p), { name: normalizeName(p.name), version: p.version });

      const refsByKey = new Map<string, VulnRef[]>();
      const unknown: string[] = [];
      for (const key of wanted.keys()) {
        const cached = queries.get(key);
        if (cached) refsByKey.set(key, cached);
        else unknown.push(key);
      }
      for (let start = 0; start < unknown.length; start += OSV_BATCH_LIMIT) {
        const keys = unknown.slice(start, start + OSV_BATCH_LIMIT);
        const answers = await queryBatch(
          keys.map((key) => {
            const p = wanted.get(key)!;
            return { package: { name: p.name, ecosystem: 'PyPI' as const }, version: p.version };
          }),
        );
        keys.forEach((key, i) => {
          refsByKey.set(key, answers[i]);
          queries.set(key, answers[i]);
        });
      }

      const distinct = new Map<string, VulnRef>();
      for (const refs of refsByKey.values()) for (const ref of refs) if (!distinct.has(ref.id)) distinct.set(ref.id, ref);
      const ids = [...distinct.keys()];
      const missing = ids.filter((id) => {
        const cached = records.get(id);
        return !cached || isStale(cached, distinct.get(id)!.modified);
      });
      if (bulkThreshold > 0 && missing.length > bulkThreshold) await loadExport();
      const fetched = await mapLimit(ids, concurrency, (id) => record(distinct.get(id)!));
      const byId = new Map(ids.map((id, i) => [id, fetched[i]]));

      const out = new Map<string, RawOsvRecord[]>();
      for (const [key, refs] of refsByKey) {
        const seen = new Set<string>();
        out.set(key, refs.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => byId.get(r.id)!));
      }
      return out;
    },
  };
}
