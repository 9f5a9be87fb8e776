/**
 * GitHub faults during a review (nock): for every call a review makes, a 500, a 502, a 429 and a
 * secondary-limit 403 still end with the check completed with the right conclusion, the review posted
 * once with every comment; waits are the ones GitHub asked for, and none is slept for real.
 */
import nock from 'nock';
import { classifyFault, classifyGraphqlAnswer, DEFAULT_FAULT_POLICY, RateLimitGate, SECONDARY_FALLBACK_WAIT_MS } from '../../src/app/github-faults.js';
import { API, instantFaults, newFilePatch, payload, repoPath, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { blobSha, mockScenario, PYWARD_BOT } from './scenario.js';

useHermeticNock();

const VULNERABLE = `import subprocess
import yaml
from flask import request


def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert {name} out.png", shell=True)
    return yaml.load(request.data)
`;
const FILES = [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }];
const completing = (rec: { updates: any[] }) => rec.updates.filter((u) => u.status === 'completed');

const headers = (h: Record<string, string>) => ({ headers: h });

describe('classifyFault', () => {
  const NOW = Date.UTC(2030, 0, 1);
  const err = (status: number | undefined, h: Record<string, string> = {}, message = '') => ({ status, message, response: h ? headers(h) : undefined });
  it.each([
    ['500 backs off 1 s, then 2 s', err(500), 1, { kind: 'retry', waitMs: 1000 }],
    ['502 on the third attempt waits 4 s', err(502), 3, { kind: 'retry', waitMs: 4000 }],
    ['503 with retry-after waits as told', err(503, { 'retry-after': '7' }), 1, { kind: 'retry', waitMs: 7000 }],
    ['429 with retry-after', err(429, { 'retry-after': '3' }), 1, { kind: 'retry', waitMs: 3000 }],
    ['429 without retry-after waits a minute', err(429), 1, { kind: 'retry', waitMs: SECONDARY_FALLBACK_WAIT_MS }],
    ['403 with retry-after is a secondary limit', err(403, { 'retry-after': '2' }), 1, { kind: 'retry', waitMs: 2000 }],
    ['403 naming the secondary limit', err(403, {}, 'You have exceeded a secondary rate limit. Please wait'), 1, { kind: 'retry', waitMs: SECONDARY_FALLBACK_WAIT_MS }],
    ['403 primary limit: paused until reset (+1 s)', err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 600) }), 1, { kind: 'primary', resetAtMs: NOW + 601_000 }],
    ['429 primary limit with a past reset: a moment', err(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }), 1, { kind: 'primary', resetAtMs: NOW + 1000 }],
    ['403 without limit signs (permissions)', err(403, {}, 'Resource not accessible by integration'), 1, { kind: 'fatal' }],
    ['404', err(404), 1, { kind: 'fatal' }],
    ['422', err(422), 1, { kind: 'fatal' }],
    ['no status (a bug)', new TypeError('x is undefined'), 1, { kind: 'fatal' }],
    ['retry-after that is a date is not trusted as seconds', err(503, { 'retry-after': 'Wed, 21 Oct 2030 07:28:00 GMT' }), 2, { kind: 'retry', waitMs: 2000 }],
    // GraphQL's points budget is not the installation's REST quota: a wait (bounded by the caller), no pause
    ['403 GraphQL limit (x-ratelimit-resource): a wait until reset', err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20), 'x-ratelimit-resource': 'graphql' }), 1, { kind: 'retry', waitMs: 21_000 }],
  ])('%s', (_name, error, attempt, expected) => {
    expect(classifyFault(error, attempt, NOW)).toMatchObject(expected);
  });

  it('a spent limit on a request to /graphql is a wait, whatever the headers name', () => {
    const spent = err(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 5) });
    expect(classifyFault(spent, 1, NOW, true)).toEqual({ kind: 'retry', waitMs: 6000, why: 'GraphQL rate limit' });
    expect(classifyFault(spent, 1, NOW)).toEqual({ kind: 'primary', resetAtMs: NOW + 6000 });
  });

  it.each([
    ['RATE_LIMITED with a reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) }, [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }], { waitMs: 31_000, why: 'GraphQL rate limit' }],
    ['RATE_LIMITED with retry-after', { 'retry-after': '9' }, [{ type: 'RATE_LIMITED', message: 'x' }], { waitMs: 9000, why: 'GraphQL rate limit' }],
    ['RATE_LIMITED and nothing else: a minute', {}, [{ type: 'RATE_LIMITED', message: 'x' }], { waitMs: SECONDARY_FALLBACK_WAIT_MS, why: 'GraphQL rate limit' }],
    ['a secondary limit in a 200', {}, [{ message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }], { waitMs: SECONDARY_FALLBACK_WAIT_MS, why: 'GraphQL secondary rate limit' }],
    ['another error', {}, [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository' }], undefined],
    ['no errors', {}, undefined, undefined],
  ])('GraphQL answer: %s', (_name, h, errors, expected) => {
    expect(classifyGraphqlAnswer({ headers: h, data: { data: null, ...(errors ? { errors } : {}) } }, NOW)).toEqual(expected);
  });

  it('a pause ends at its time and only for its installation', () => {
    let now = 0;
    const gate = new RateLimitGate(() => now);
    gate.pause(1, 5000);
    expect(gate.pausedUntil(1)).toBe(5000);
    expect(gate.pausedUntil(2)).toBeUndefined();
    now = 5000;
    expect(gate.pausedUntil(1)).toBeUndefined();
  });
});

/** Every call of a review of FILES (no config anywhere), as nock matches it. */
const CALLS: { name: string; method: 'get' | 'post' | 'patch'; path: string | RegExp }[] = [
  { name: 'list check runs', method: 'get', path: /^\/repos\/acme\/shop\/commits\/(a1){20}\/check-runs/ },
  { name: 'create the check run', method: 'post', path: repoPath('/check-runs') },
  { name: 'read the repository config', method: 'get', path: /^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/ },
  { name: 'read the organisation config', method: 'get', path: /^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/ },
  { name: 'list the files', method: 'get', path: /^\/repos\/acme\/shop\/pulls\/7\/files/ },
  { name: 'read a blob', method: 'get', path: repoPath(`/git/blobs/${blobSha(VULNERABLE)}`) },
  { name: 'list earlier comments', method: 'get', path: /^\/repos\/acme\/shop\/pulls\/7\/comments/ },
  { name: 'post the review', method: 'post', path: repoPath('/pulls/7/reviews') },
  { name: 'complete the check run', method: 'patch', path: repoPath('/check-runs/555') },
];

const FAULTS: { name: string; status: number; headers: Record<string, string>; message: string; waitMs: number }[] = [
  { name: '500', status: 500, headers: {}, message: 'Server Error', waitMs: 1000 },
  { name: '502', status: 502, headers: {}, message: 'Bad Gateway', waitMs: 1000 },
  { name: '429', status: 429, headers: { 'retry-after': '3' }, message: 'Too Many Requests', waitMs: 3000 },
  { name: 'secondary-limit 403', status: 403, headers: { 'retry-after': '2' }, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', waitMs: 2000 },
];

describe.each(FAULTS)('a $name', (fault) => {
  it.each(CALLS)('on "$name" still ends with the check completed and one full review', async (call) => {
    const { state, faults } = instantFaults();
    const app = await testApp({ faults });
    // registered first, so it answers the first request of this route; the scenario answers the retry
    const interceptor = nock(API)[call.method](call.path as string);
    if (call.method === 'get') interceptor.query(true);
    interceptor.reply(fault.status, { message: fault.message }, fault.headers);
    // a 5xx on the review POST may have been applied: pyward reads the comments again before retrying
    if (call.name === 'post the review' && fault.status >= 500) nock(API).get(repoPath('/pulls/7/comments')).query(true).reply(200, []);
    const rec = mockScenario({ files: FILES, expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));

    expect(completing(rec)).toHaveLength(1);
    expect(completing(rec)[0].conclusion).toBe('failure');
    expect(completing(rec)[0].output.summary).not.toMatch(/could not be posted/);
    expect(rec.created).toHaveLength(1);
    expect(rec.reviews).toHaveLength(1);
    expect(rec.reviews[0].body.comments).toHaveLength(2);
    // a 5xx on the review POST is not repeated blindly: the comments are read again first, and no wait is needed
    expect(state.slept).toEqual(call.name === 'post the review' && fault.status >= 500 ? [] : [fault.waitMs]);
  });
});

it('a 502 on the review POST that GitHub had applied is not posted again', async () => {
  const app = await testApp({ faults: instantFaults().faults });
  let posted: any;
  nock(API)
    .post(repoPath('/pulls/7/reviews'))
    .reply(502, (_uri, body: any) => ((posted = body), { message: 'Bad Gateway' }));
  // the comments were made despite the 502: the re-read (after the first read, before any comment) finds their markers
  nock(API)
    .get(repoPath('/pulls/7/comments'))
    .query(true)
    .reply(200, [])
    .get(repoPath('/pulls/7/comments'))
    .query(true)
    .reply(200, () => posted.comments.map((c: any, i: number) => ({ id: 2000 + i, body: c.body, path: c.path, user: PYWARD_BOT })));
  const rec = mockScenario({ files: FILES });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(posted.comments).toHaveLength(2);
  expect(rec.reviews).toEqual([]);
  expect(completing(rec)[0].conclusion).toBe('failure');
  expect(completing(rec)[0].output.summary).not.toMatch(/could not be posted/);
});

it('a check-run completion answered 5xx and secondary limits many times in a row is still completed', async () => {
  const { state, faults } = instantFaults();
  const app = await testApp({ faults });
  const flaky = nock(API).patch(repoPath('/check-runs/555'));
  flaky.times(3).reply(502, { message: 'Bad Gateway' });
  nock(API).patch(repoPath('/check-runs/555')).times(2).reply(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '61' });
  const rec = mockScenario({ files: FILES, expectReview: true });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(completing(rec)).toHaveLength(1);
  expect(completing(rec)[0].conclusion).toBe('failure');
  expect(state.slept).toEqual([1000, 2000, 4000, 61_000, 61_000]);
});

it('an ordinary call failing on every attempt gives up within the bounds and the check still completes', async () => {
  const { state, faults } = instantFaults();
  const app = await testApp({ faults });
  const rec = mockScenario({ files: FILES, filesStatus: 503 });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(state.slept).toHaveLength(DEFAULT_FAULT_POLICY.maxAttempts - 1);
  expect(state.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(DEFAULT_FAULT_POLICY.maxWaitMs);
  // nothing of the pull request was reviewed: it fails closed (`incomplete: failure`, the default)
  expect(completing(rec)[0]).toMatchObject({ conclusion: 'failure', output: { title: 'GitHub unavailable' } });
});

it("a spent primary rate limit pauses the installation's reviews until the reset, then completes them", async () => {
  const { state, faults } = instantFaults();
  const app = await testApp({ faults });
  const reset = Math.floor(state.clock / 1000) + 900; // 15 minutes ahead
  // the file listing hits the primary limit: the job waits for the reset instead of failing or holding a slot
  nock(API)
    .get(/^\/repos\/acme\/shop\/pulls\/7\/files/)
    .query(true)
    .reply(403, { message: 'API rate limit exceeded for installation ID 4242.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
  const rec = mockScenario({ files: FILES, expectReview: true });
  // the review runs again from the start after the reset: the config is read a second time
  nock(API).get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query(true).reply(404, { message: 'Not Found' });
  nock(API).get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/).reply(404, { message: 'Not Found' });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(state.clock).toBeGreaterThanOrEqual(reset * 1000);
  expect(completing(rec)).toHaveLength(1);
  expect(completing(rec)[0].conclusion).toBe('failure');
  expect(rec.reviews).toHaveLength(1);
});

describe('GraphQL rate limits (the one query that reads imported modules for data flow)', () => {
  const VIEW = 'from flask import request\nfrom .shell import convert\n\n\ndef thumbnail():\n    convert(request.args["image"])\n    return "ok"\n';
  const HELPER = 'import subprocess\n\n\ndef convert(name):\n    subprocess.run(f"convert {name} out.png", shell=True)\n';
  const VIEW_FILES = [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }];
  const NOW_S = Date.UTC(2030, 0, 1) / 1000; // instantFaults' clock
  const limitErrors = [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 4242.' }];
  const secondary = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

  it.each([
    ['RATE_LIMITED in a 200, budget back in 30 s', { status: 200, body: { data: null, errors: limitErrors }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S + 30), 'x-ratelimit-resource': 'graphql' } }, 31_000],
    ['RATE_LIMITED in a 200 with retry-after', { status: 200, body: { data: null, errors: limitErrors }, headers: { 'retry-after': '12' } }, 12_000],
    ['a secondary limit in a 200', { status: 200, body: { data: null, errors: [{ message: secondary }] }, headers: { 'retry-after': '5' } }, 5000],
    ['a secondary-limit 403', { status: 403, body: { message: secondary }, headers: { 'retry-after': '2' } }, 2000],
    ['a 403 of the spent GraphQL budget', { status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S + 20), 'x-ratelimit-resource': 'graphql' } }, 21_000],
  ])('%s: waited for as GitHub asks, asked again, and the flow into the module is found', async (_name, reply, wait) => {
    const { state, faults } = instantFaults();
    const app = await testApp({ faults });
    const rec = mockScenario({ files: VIEW_FILES, headFiles: { 'app/shell.py': HELPER }, contextReplies: [reply], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(state.slept).toEqual([wait]);
    expect(rec.contextQueries).toHaveLength(2);
    const done = completing(rec);
    expect(done).toHaveLength(1);
    expect(done[0].conclusion).toBe('failure');
    expect(done[0].output.annotations.filter((a: any) => a.title.startsWith('PW102')).map((a: any) => [a.path, a.start_line])).toEqual([['app/views.py', 6]]);
    expect(done[0].output.summary).not.toMatch(/not reviewed|could not read/i);
  });

  it('a GraphQL budget spent for longer than the bounded wait is not waited for: the review completes as incomplete, saying the modules were not read', async () => {
    const { state, faults } = instantFaults();
    const app = await testApp({ faults });
    const reply = { status: 200, body: { data: null, errors: limitErrors }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S + 3600), 'x-ratelimit-resource': 'graphql' } };
    const rec = mockScenario({ files: VIEW_FILES, headFiles: { 'app/shell.py': HELPER }, contextReplies: [reply] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(state.slept).toEqual([]);
    expect(rec.contextQueries).toHaveLength(1);
    // the REST quota is not the GraphQL budget: the rest of the review went on at once
    const done = completing(rec);
    expect(done).toHaveLength(1);
    expect(done[0].conclusion).toBe('failure');
    expect(done[0].output.title).toBe('Incomplete review: 1 item not reviewed; no new findings');
    expect(done[0].output.summary).toContain("data flow could not read the imported project modules (GitHub's GraphQL API answered: API rate limit exceeded for installation ID 4242.); flows through them were not followed");
  });

  it('RATE_LIMITED on every attempt: waited for within the bounded total wait, then the review is incomplete', async () => {
    const { state, faults } = instantFaults();
    const app = await testApp({ faults });
    const limited = { status: 200, body: { data: null, errors: limitErrors }, headers: { 'retry-after': '50' } };
    const rec = mockScenario({ files: VIEW_FILES, headFiles: { 'app/shell.py': HELPER }, contextReplies: Array(10).fill(limited) });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    // 3 minutes of waiting per call: three waits of 50 s, a fourth would pass it
    expect(state.slept).toEqual([50_000, 50_000, 50_000]);
    expect(rec.contextQueries).toHaveLength(4);
    expect(completing(rec)[0]).toMatchObject({ conclusion: 'failure', output: { title: 'Incomplete review: 1 item not reviewed; no new findings' } });
  });
});
