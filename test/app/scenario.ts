/** Mocks GitHub for one pyward review of acme/shop#7 and records what pyward sent. */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { DEFAULT_FAULT_POLICY } from '../../src/app/github-faults.js';
import { isConfigFile } from '../../src/engine/scan-config-files.js';
import { API, b64, mockToken, repoPath } from '../helpers/github.js';

export interface PrFile {
  filename: string;
  status?: 'added' | 'modified' | 'removed' | 'renamed';
  /** Omitted = GitHub left it out (diff too large). */
  patch?: string;
  content?: string;
  /** Content at the base commit, for dependency files (404 when absent). */
  base?: string;
}

export interface Scenario {
  files: PrFile[];
  /** Existing pyward run on the head commit (reused) instead of creating one. */
  existingRunId?: number;
  /** `.github/pyward.yml` on the default branch; undefined = none (then the org's .github repo is asked). */
  config?: string;
  /** Where `config` lives instead of `.github/pyward.yml` (the Action's `config` input). */
  configPath?: string;
  /**
   * Review comments already on the pull request; by pyward's bot user unless `user` says otherwise. Their ids
   * are `existingCommentId(i)` unless given.
   */
  existingComments?: { body: string; path?: string; id?: number; user?: { login: string; type: string }; performed_via_github_app?: { id: number; slug: string } | null }[];
  /** Status of the createReview call(s), in order; default 200. */
  reviewStatuses?: number[];
  /** Whether the review is expected at all (unused mocks fail the test). */
  expectReview?: boolean;
  /** Extra check-run PATCHes beyond the completing one (annotation batches). */
  extraUpdates?: number;
  /** The app creates a new run (rerequested) even when one exists. */
  newRun?: boolean;
  /** The file listing answers this late (ms). */
  filesDelayMs?: number;
  /** The file listing fails with this status, on every attempt (nothing after it is mocked). */
  filesStatus?: number;
  /** Unchanged files at the head commit, served to the GraphQL reads of imported modules (any other path is null). */
  headFiles?: Record<string, string>;
  /** The GraphQL reads of imported modules fail: an HTTP status, or GraphQL `errors` (RATE_LIMITED) in a 200. */
  contextFailure?: number | 'errors';
  /** The first GraphQL reads of imported modules get these answers, in order; the next ones the files. */
  contextReplies?: { status: number; body: unknown; headers?: Record<string, string> }[];
  /**
   * The app reviewed files of an earlier scenario of this test: blobs and base files it fetched then are not
   * mocked again (pyward caches contents by blob sha, and base files by base commit and path). Without it, the record of fetched blobs starts afresh.
   */
  warm?: boolean;
}

/** Git's blob sha of a text: contents are addressed by it, as on GitHub. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Blob shas mocked since the last scenario that was not `warm`. */
const mockedBlobs = new Set<string>();

export interface Recorded {
  /** GraphQL requests reading imported modules (`{ query, variables }`). */
  contextQueries: any[];
  created: any[];
  updates: any[];
  reviews: any[];
  deletedPending: number;
}

/** The answer to a blobs query (`m<i>: object(expression: "<sha>:<path>")`): a Blob for files at the head commit, null otherwise. */
export function answerBlobs(query: string, files: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of query.matchAll(/(m\d+): object\(expression: ("(?:[^"\\]|\\.)*")\)/g)) {
    const expression = JSON.parse(m[2]) as string;
    const sep = expression.indexOf(':');
    const text = expression.slice(0, sep) === HEAD ? files[expression.slice(sep + 1)] : undefined;
    out[m[1]] = text === undefined ? null : { text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false };
  }
  // Folder listings (`t<i>: object(expression: "<sha>:<dir>") { ... on Tree { entries { name type } } }`)
  for (const m of query.matchAll(/(t\d+): object\(expression: ("(?:[^"\\]|\\.)*")\)/g)) {
    const expression = JSON.parse(m[2]) as string;
    const sep = expression.indexOf(':');
    const dir = expression.slice(sep + 1);
    const prefix = dir ? `${dir}/` : '';
    const names = Object.keys(files).filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length));
    out[m[1]] = expression.slice(0, sep) === HEAD && names.length ? { entries: names.map((name) => ({ name, type: 'blob' })) } : null;
  }
  return out;
}

const HEAD = 'a1'.repeat(20);

/** The app the tests run as (GET /app): Probot's appId 1, bot user `pyward[bot]`. */
export const APP_IDENTITY = { id: 1, slug: 'pyward' };
export const PYWARD_BOT = { login: 'pyward[bot]', type: 'Bot' };
export const existingCommentId = (i: number) => 1000 + i;

export function mockScenario(s: Scenario): Recorded {
  const rec: Recorded = { contextQueries: [], created: [], updates: [], reviews: [], deletedPending: 0 };
  if (!s.warm) mockedBlobs.clear();
  mockToken();
  // Which app pyward is: asked once per process, when it first reads earlier comments.
  nock(API).get('/app').optionally().reply(200, { ...APP_IDENTITY, name: 'pyward' });
  const api = nock(API);
  if (!s.newRun) {
    api.get(repoPath(`/commits/${encodeURIComponent(s.files.length ? 'a1'.repeat(20) : 'a1'.repeat(20))}/check-runs`)).query(true).reply(200, {
      total_count: s.existingRunId ? 1 : 0,
      check_runs: s.existingRunId ? [{ id: s.existingRunId, name: 'pyward', status: 'completed' }] : [],
    });
  }
  if (s.existingRunId && !s.newRun) {
    api.patch(repoPath(`/check-runs/${s.existingRunId}`)).reply(200, (_uri, body) => (rec.updates.push(body), { id: s.existingRunId }));
  } else {
    api.post(repoPath('/check-runs')).reply(201, (_uri, body) => (rec.created.push(body), { id: 555 }));
  }
  const runId = s.existingRunId && !s.newRun ? s.existingRunId : 555;
  if (s.config !== undefined && s.configPath) {
    const path = s.configPath.split('/').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(%2F|/)');
    api.get(new RegExp(`^/repos/acme/shop/contents/${path}(\\?|$)`)).query({ ref: 'main' }).reply(200, { type: 'file', encoding: 'base64', content: b64(s.config) });
  } else if (s.config !== undefined) {
    api.get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'main' }).reply(200, { type: 'file', encoding: 'base64', content: b64(s.config) });
  } else {
    api.get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    api.get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/).reply(404, { message: 'Not Found' });
  }
  if (s.filesStatus) {
    api.get(repoPath('/pulls/7/files')).query(true).times(DEFAULT_FAULT_POLICY.maxAttempts).reply(s.filesStatus, { message: 'Bad Gateway' });
  } else if (s.config === undefined || !/fail_on: hihg|disabel/.test(s.config)) {
    api.get(repoPath('/pulls/7/files')).query(true).delay(s.filesDelayMs ?? 0).reply(
      200,
      s.files.map((f) => ({ sha: blobSha(f.content ?? ''), filename: f.filename, status: f.status ?? 'added', ...(f.patch !== undefined ? { patch: f.patch } : {}) })),
    );
    s.files.forEach((f) => {
      const dependency = /requirements[^/]*\.txt$|\.lock$|pyproject\.toml$/.test(f.filename);
      if (f.status === 'removed' || (!f.filename.endsWith('.py') && !dependency && !isConfigFile(f.filename))) return;
      const sha = blobSha(f.content ?? '');
      if (!mockedBlobs.has(sha)) api.get(repoPath(`/git/blobs/${sha}`)).reply(200, { encoding: 'base64', content: b64(f.content ?? '') });
      mockedBlobs.add(sha);
      if (dependency && (f.status ?? 'added') !== 'added' && !mockedBlobs.has(`base:${f.filename}`)) {
        mockedBlobs.add(`base:${f.filename}`);
        const base = api.get(repoPath(`/contents/${encodeURIComponent(f.filename)}`)).query({ ref: 'b'.repeat(40) });
        if (f.base === undefined) base.reply(404, { message: 'Not Found' });
        else base.reply(200, { type: 'file', encoding: 'base64', content: b64(f.base) });
      }
    });
    // imported modules, read for data flow: asked whenever a changed Python file imports something not in the stdlib
    api
      .post('/graphql', (body: any) => /object\(expression:/.test(body.query))
      .times(10)
      .optionally()
      .reply((_uri, body: any) => {
        rec.contextQueries.push(body);
        const reply = s.contextReplies?.[rec.contextQueries.length - 1];
        if (reply) return [reply.status, reply.body, reply.headers ?? {}];
        if (s.contextFailure === 'errors') return [200, { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }];
        if (s.contextFailure) return [s.contextFailure, { message: 'Server Error' }];
        return [200, { data: { repository: answerBlobs(body.query, s.headFiles ?? {}) } }];
      });
    // asked only when something could be commented
    // (and again after a 5xx on the review, which may have been applied)
    api
      .get(repoPath('/pulls/7/comments'))
      .query(true)
      .times(1 + (s.reviewStatuses ?? []).filter((st) => st >= 500).length)
      .optionally()
      .reply(200, (s.existingComments ?? []).map((c, i) => ({ id: existingCommentId(i), user: PYWARD_BOT, ...c })));
    if (s.expectReview) {
      const statuses = s.reviewStatuses ?? [200];
      for (const status of statuses) {
        api.post(repoPath('/pulls/7/reviews')).reply(status, (_uri, body: any) => {
          rec.reviews.push({ status, body });
          return status < 300 ? { id: 900 + rec.reviews.length } : { message: status === 422 ? 'Unprocessable Entity: Line could not be resolved' : 'Server Error' };
        });
      }
      api.delete(/\/repos\/acme\/shop\/pulls\/7\/reviews\/\d+$/).times(10).optionally().reply(200, () => (rec.deletedPending++, {}));
    }
  }
  api.patch(repoPath(`/check-runs/${runId}`)).times(1 + (s.extraUpdates ?? 0)).reply(200, (_uri, body) => (rec.updates.push(body), { id: runId }));
  return rec;
}
