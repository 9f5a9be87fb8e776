/** Mocks GitHub for one pyward review of acme/shop#7 and records what pyward sent. */
import nock from 'nock';
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
  existingComments?: { body: string }[];
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
  /** The file listing fails with this status (nothing after it is mocked). */
  filesStatus?: number;
  /** Unchanged files at the head commit, served to the GraphQL reads of imported modules (any other path is null). */
  headFiles?: Record<string, string>;
  /** The GraphQL reads of imported modules fail: an HTTP status, or GraphQL `errors` in a 200. */
  contextFailure?: number | 'errors';
}

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
  return out;
}

const HEAD = 'a1'.repeat(20);

export function mockScenario(s: Scenario): Recorded {
  const rec: Recorded = { contextQueries: [], created: [], updates: [], reviews: [], deletedPending: 0 };
  mockToken();
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
    api.get(repoPath('/pulls/7/files')).query(true).reply(s.filesStatus, { message: 'Bad Gateway' });
  } else if (s.config === undefined || !/fail_on: hihg|disabel/.test(s.config)) {
    api.get(repoPath('/pulls/7/files')).query(true).delay(s.filesDelayMs ?? 0).reply(
      200,
      s.files.map((f, i) => ({ sha: `${String(i).padStart(2, '0')}`.padEnd(40, 'f'), filename: f.filename, status: f.status ?? 'added', ...(f.patch !== undefined ? { patch: f.patch } : {}) })),
    );
    s.files.forEach((f, i) => {
      const dependency = /requirements[^/]*\.txt$|\.lock$|pyproject\.toml$/.test(f.filename);
      if (f.status === 'removed' || (!f.filename.endsWith('.py') && !dependency)) return;
      api.get(repoPath(`/git/blobs/${String(i).padStart(2, '0').padEnd(40, 'f')}`)).reply(200, { encoding: 'base64', content: b64(f.content ?? '') });
      if (dependency && (f.status ?? 'added') !== 'added') {
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
        if (s.contextFailure === 'errors') return [200, { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }];
        if (s.contextFailure) return [s.contextFailure, { message: 'Server Error' }];
        return [200, { data: { repository: answerBlobs(body.query, s.headFiles ?? {}) } }];
      });
    // asked only when something could be commented
    api.get(repoPath('/pulls/7/comments')).query(true).optionally().reply(200, s.existingComments ?? []);
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
