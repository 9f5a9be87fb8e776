import nock from 'nock';
import { API, newFilePatch, payload, repoPath, testApp, type TestApp } from '../helpers/github.js';
import { blobSha, existingCommentId, mockScenario } from './scenario.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { AdvisorySourceError } from '../../src/dependencies/advisories/source.js';

const VULNERABLE = `import subprocess
import yaml
from flask import request


def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert {name} out.png", shell=True)
    return yaml.load(request.data)
`;

let app: TestApp;

useHermeticNock();

beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');

describe('pull_request.opened', () => {
  it('a PR adding vulnerable lines gets a failing check run and one review with inline comments', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));

    expect(rec.created).toEqual([expect.objectContaining({ name: 'pyward', head_sha: 'a1'.repeat(20), status: 'in_progress' })]);
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line, a.title.split(' ')[0]])).toEqual(
      // PW102 (request data reaches the shell) stands for B602 on the same call: one entry per problem.
      expect.arrayContaining([['app/views.py', 8, expect.stringMatching(/PW102/)]]),
    );
    expect(done.output.summary).toMatchSnapshot('check-run summary');

    expect(rec.reviews).toHaveLength(1);
    const review = rec.reviews[0].body;
    expect(review.event).toBe('COMMENT');
    expect(review.commit_id).toBe('a1'.repeat(20));
    // worst first; low findings (B404, B607 here) are annotations only (review.min_severity: medium)
    expect(review.comments.map((c: any) => [c.path, c.line, c.side, /`((?:B|PW)\d+)`/.exec(c.body)?.[1]])).toEqual([
      ['app/views.py', 9, 'RIGHT', 'PW109'],
      ['app/views.py', 8, 'RIGHT', 'PW102'],
    ]);
    expect(done.output.annotations).toHaveLength(4);
    expect(review.comments[0].body).toContain('```suggestion\n    return yaml.safe_load(request.data)\n```');
    expect(review.comments[0].body).toContain('**Data flow**');
    expect(review.comments.every((c: any) => /<!-- pyward:fingerprint=[0-9a-f]+ -->/.test(c.body))).toBe(true);
    expect(review).toMatchSnapshot('review');
  });
});

describe('re-pushes and redeliveries', () => {
  const FIXED = VULNERABLE.replace('yaml.load(request.data)', 'yaml.safe_load(request.data)');
  const firstRun = async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    return rec.reviews[0].body.comments.map((c: any) => ({ body: c.body, path: c.path }));
  };

  it('a redelivered webhook posts nothing twice (same run reused, comments recognised)', async () => {
    const comments = await firstRun();
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], existingRunId: 555, existingComments: comments, warm: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'), 'delivery-1');
    expect(rec.created).toEqual([]);
    expect(rec.reviews).toEqual([]);
    expect(completing(rec).conclusion).toBe('failure');
  });

  it('a push that fixes one finding and adds none posts no new comment', async () => {
    const comments = await firstRun();
    const patch = '@@ -7,3 +7,3 @@ def thumbnail():\n     name = request.args["image"]\n     subprocess.run(f"convert {name} out.png", shell=True)\n-    return yaml.load(request.data)\n+    return yaml.safe_load(request.data)';
    const rec = mockScenario({ files: [{ filename: 'app/views.py', status: 'modified', patch, content: FIXED }], existingComments: comments });
    // The thread of the yaml.load comment is resolved (GraphQL: REST has no thread state); the other stays open.
    const graphql: any[] = [];
    nock(API)
      .post('/graphql')
      .reply(200, (_uri, body: any) => {
        graphql.push(body);
        return { data: { repository: { pullRequest: { reviewThreads: { nodes: comments.map((c: any, i: number) => ({ id: `T${i}`, isResolved: false, comments: { nodes: [{ databaseId: existingCommentId(i), body: c.body }] } })), pageInfo: { hasNextPage: false, endCursor: null } } } } } };
      })
      .post('/graphql')
      .reply(200, (_uri, body: any) => (graphql.push(body), { data: { resolveReviewThread: { thread: { id: body.variables.threadId } } } }));
    await app.deliver('pull_request', payload('pull_request', 'synchronize', { headSha: 'a1'.repeat(20) }));
    expect(rec.reviews).toEqual([]);
    const yamlThread = `T${comments.findIndex((c: any) => c.body.includes('B506'))}`;
    expect(graphql[1].variables).toEqual({ threadId: yamlThread });
    const done = completing(rec);
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).toMatch(/pre-existing finding/);
    expect(done.output.summary).toMatch(/One earlier pyward comment was marked resolved/);
  });

  it('a webhook delivered twice at once runs one review', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true });
    const body = payload('pull_request', 'opened');
    await Promise.all([app.probot.receive({ id: 'd1', name: 'pull_request', payload: body } as never), app.probot.receive({ id: 'd1', name: 'pull_request', payload: body } as never)]);
    await app.queue.idle();
    expect(rec.created).toHaveLength(1);
    expect(rec.reviews).toHaveLength(1);
  });
});

describe('what is and is not commented', () => {
  it('a finding on a line the PR did not add is never sent as a comment', async () => {
    const old = 'import pickle\n\ndef load(b):\n    return pickle.loads(b)\n';
    const now = `${old}\n\ndef run(cmd):\n    exec(cmd)\n`;
    const patch = '@@ -4,0 +5,5 @@\n+\n+\n+def run(cmd):\n+    exec(cmd)\n+';
    const rec = mockScenario({ files: [{ filename: 'lib.py', status: 'modified', patch, content: now }], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.reviews[0].body.comments.map((c: any) => [c.line, /`(B\d+)`/.exec(c.body)?.[1]])).toEqual([[8, 'B102']]);
    const done = completing(rec);
    expect(done.output.annotations.map((a: any) => a.start_line)).toEqual([8]);
    expect(done.output.summary).toMatch(/2 pre-existing findings/);
  });

  it('a file GitHub sent without a patch (diff too large) is analysed as wholly changed but not commented inline', async () => {
    const rec = mockScenario({ files: [{ filename: 'huge.py', status: 'modified', content: 'exec(x)\n' }] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line])).toEqual([['huge.py', 1]]);
    expect(rec.reviews).toEqual([]);
  });

  it('120 findings produce 3 annotation batches', async () => {
    const code = Array.from({ length: 120 }, (_, i) => `exec(v${i})`).join('\n') + '\n';
    const rec = mockScenario({ files: [{ filename: 'many.py', patch: newFilePatch(code), content: code }], config: 'review:\n  enabled: false\n', extraUpdates: 2 });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const batches = rec.updates.filter((u) => u.output?.annotations).map((u) => u.output.annotations.length);
    expect(batches).toEqual([50, 50, 20]);
    expect(completing(rec).output.summary).toMatch(/Inline comments are off/);
  });

  it('a GitHub 422 on one comment still yields a review with the others', async () => {
    const code = 'import yaml\n\ndef a(s):\n    return yaml.load(s)\n\ndef b(c):\n    exec(c)\n';
    // 1: the whole review is refused; 2, 3: each comment alone in a pending review (the first anchors, the second not); 4: the final review
    const rec = mockScenario({ files: [{ filename: 'x.py', patch: newFilePatch(code), content: code }], expectReview: true, reviewStatuses: [422, 200, 422, 200] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.reviews.map((r) => [r.status, r.body.event ?? 'PENDING', r.body.comments.length])).toEqual([
      [422, 'COMMENT', 2],
      [200, 'PENDING', 1],
      [422, 'PENDING', 1],
      [200, 'COMMENT', 1],
    ]);
    expect(rec.deletedPending).toBe(1);
    expect(completing(rec).output.summary).toMatch(/1 finding marked \*not commented\*: GitHub refused the comment anchor/);
  });

  it('GitHub failing every attempt at the review still completes the check run with the findings', async () => {
    // a POST answered 5xx may have been applied: before each new attempt pyward reads the PR's comments again
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true, reviewStatuses: [500, 500, 500, 500] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.summary).toMatch(/inline comments could not be posted \(GitHub answered 500\)/);
  });

  it('a draft PR is checked but not commented unless review.drafts is on', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }] });
    await app.deliver('pull_request', payload('pull_request', 'opened', { draft: true }));
    expect(completing(rec).conclusion).toBe('failure');
    expect(completing(rec).output.summary).toMatch(/Draft pull request/);
  });
});

describe('configuration', () => {
  it('an invalid config gives a neutral check naming the key and line', async () => {
    const rec = mockScenario({ files: [], config: 'fail_on: hihg\nrules:\n  disabel: [B101]\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('neutral');
    expect(done.output.title).toBe('Invalid pyward configuration');
    expect(done.output.summary).toContain("line 1: `fail_on`: must be one of low, medium, high, critical (got 'hihg')");
    expect(done.output.summary).toContain("line 3: `rules.disabel`: unknown key 'disabel'");
  });

  it('fail_on from the default branch decides the conclusion', async () => {
    const code = 'exec(x)\n';
    const rec = mockScenario({ files: [{ filename: 'a.py', patch: newFilePatch(code), content: code }], config: 'fail_on: medium\n', expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(completing(rec).conclusion).toBe('failure');
  });

  it('closed pull requests are ignored', async () => {
    await app.deliver('pull_request', payload('pull_request', 'opened', { state: 'closed' }));
  });
});

describe('check events', () => {
  it('a fork PR (check_suite with no pull_requests) is found through the commit and reviewed', async () => {
    const body = payload('check_suite', 'requested');
    body.check_suite.pull_requests = [];
    const head = body.check_suite.head_sha;
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true });
    nock(API)
      .get(repoPath(`/commits/${head}/check-runs`))
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] }) // no run yet: not a duplicate of a pull_request event
      .get(repoPath(`/commits/${head}/pulls`))
      .reply(200, [{ number: 7, state: 'open', draft: false, head: { sha: head }, base: { sha: 'b'.repeat(40) } }]);
    await app.deliver('check_suite', body);
    expect(completing(rec).conclusion).toBe('failure');
    expect(rec.reviews).toHaveLength(1);
  });

  it('check_run.rerequested creates a new run and reviews again', async () => {
    const body = payload('check_run', 'rerequested');
    body.check_run.pull_requests = [{ number: 7, head: { sha: body.check_run.head_sha }, base: { sha: 'b'.repeat(40) } }];
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true, newRun: true });
    nock(API)
      .get(repoPath('/pulls/7'))
      .reply(200, { number: 7, state: 'open', draft: false, head: { sha: body.check_run.head_sha }, base: { sha: 'b'.repeat(40) } });
    await app.deliver('check_run', body);
    expect(rec.created).toHaveLength(1);
    expect(completing(rec).conclusion).toBe('failure');
  });

  it('check_suite.requested after the pull_request review made its run does nothing more', async () => {
    const body = payload('check_suite', 'requested');
    nock(API)
      .post(`/app/installations/4242/access_tokens`)
      .optionally()
      .reply(201, { token: 't' })
      .get(repoPath(`/commits/${body.check_suite.head_sha}/check-runs`))
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 555, name: 'pyward', status: 'completed' }] });
    await app.deliver('check_suite', body);
  });

  it('another app\'s check run is not ours to re-run', async () => {
    const body = payload('check_run', 'rerequested');
    body.check_run.name = 'ci/build';
    await app.deliver('check_run', body);
  });
});

describe('the check always completes', () => {
  it('a scan that outlives the timeout fails closed and writes nothing afterwards', async () => {
    const slow = await testApp({ timeoutMs: 100 });
    const rec = mockScenario({ files: [{ filename: 'a.py', patch: newFilePatch('exec(x)\n'), content: 'exec(x)\n' }], filesDelayMs: 400, expectReview: false });
    await slow.deliver('pull_request', payload('pull_request', 'opened'));
    await new Promise((r) => setTimeout(r, 700)); // let the abandoned scan run to its end
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.title).toBe('pyward timed out');
    expect(done.output.summary).toMatch(/fails until a review completes/);
    expect(rec.reviews).toEqual([]);
    expect(rec.updates.filter((u) => u.status === 'completed')).toHaveLength(1);
  });

  it.each([
    [undefined, 'failure'],
    ['incomplete: neutral\n', 'neutral'],
  ])('GitHub failing to list the files gives an "unavailable" check, never a pass (config %j)', async (config, conclusion) => {
    const rec = mockScenario({ files: [], filesStatus: 502, ...(config ? { config } : {}) });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe(conclusion);
    expect(done.output.title).toBe('GitHub unavailable');
    expect(done.output.summary).toContain('HTTP 502');
  });
});

describe('a pull request that changes .github/pyward.yml', () => {
  it.each([
    ['valid', 'fail_on: low\n', 'success', /is valid and will apply once merged/],
    ['invalid', 'fail_on: sometimes\n', 'failure', /the new file is invalid[\s\S]*fail_on: must be one of/],
  ])('%s: it is validated and reported, not applied', async (_name, text, conclusion, message) => {
    const rec = mockScenario({ files: [{ filename: '.github/pyward.yml', status: 'modified', patch: `@@ -1 +1 @@\n-fail_on: high\n+${text.trim()}` }, { filename: 'a.py', patch: newFilePatch('import random\nx = random.random()\n'), content: 'import random\nx = random.random()\n' }] });
    nock(API).get(/\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'a1'.repeat(20) }).reply(200, { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64') });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    // fail_on: low in the PR would fail on B311 (low); the default branch's fail_on: high applies
    expect(done.conclusion).toBe(conclusion);
    expect(done.output.summary).toMatch(message);
  });
});

describe('dependency pins', () => {
  const BASE = 'flask==2.0.3\nJinja2==2.10\n';
  const HEAD = 'flask==2.0.3\nJinja2==2.10\nPyYAML==5.3.1\nrequests==2.31.0\n';
  const PATCH = '@@ -1,2 +1,4 @@\n flask==2.0.3\n Jinja2==2.10\n+PyYAML==5.3.1\n+requests==2.31.0';

  it('a pin the PR adds with a known advisory gets a comment with the bump; an old vulnerable pin is only counted', async () => {
    const rec = mockScenario({ files: [{ filename: 'requirements.txt', status: 'modified', patch: PATCH, content: HEAD, base: BASE }], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('failure'); // PYSEC-2021-142 is critical (CVSS 9.8)
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line, a.title])).toEqual([['requirements.txt', 3, 'PYSEC-2021-142 vulnerable-dependency (critical)']]);
    expect(done.output.summary).toMatch(/4 pinned packages checked against local OSV database/);
    expect(done.output.summary).toMatch(/PYSEC-2019-217.*already pinned/);
    const [comment] = rec.reviews[0].body.comments;
    expect([comment.path, comment.line]).toEqual(['requirements.txt', 3]);
    expect(comment.body).toContain('CVE-2020-14343');
    expect(comment.body).toContain('```suggestion\nPyYAML==5.4\n```');
  });

  it('a pin with two advisories gets one comment listing both, worst first, with one suggestion and one check-run row', async () => {
    // PyYAML 5.3 carries PYSEC-2020-96 (fixed in 5.3.1) and PYSEC-2021-142 (fixed in 5.4): 5.3.1 would still carry the second.
    const head = 'flask==2.0.3\nPyYAML==5.3\n';
    const rec = mockScenario({ files: [{ filename: 'requirements.txt', status: 'modified', patch: '@@ -1 +1,2 @@\n flask==2.0.3\n+PyYAML==5.3', content: head, base: 'flask==2.0.3\n' }], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line, a.title])).toEqual([['requirements.txt', 2, 'pyyaml 5.3: 2 advisories (worst critical)']]);
    const comments = rec.reviews[0].body.comments;
    expect(comments.map((c: any) => [c.path, c.line])).toEqual([['requirements.txt', 2]]);
    const [body] = comments.map((c: any) => c.body as string);
    expect(body.match(/```suggestion\n[^`]*```/g)).toEqual(['```suggestion\nPyYAML==5.4\n```']);
    // Both advisories, with aliases and fixed versions; equal severity, so by id.
    expect(body.indexOf('PYSEC-2020-96')).toBeLessThan(body.indexOf('PYSEC-2021-142'));
    expect(body).toContain('(CVE-2020-1747, GHSA-6757-jp84-gxfx)');
    expect(body).toMatch(/fixed in `5\.3\.1`[\s\S]*fixed in `5\.4`/);
    expect(body).toContain('Upgrade PyYAML to 5.4, the lowest version that fixes all 2 advisories.');
    // One row in the findings table and one in the advisories table.
    const summary = done.output.summary as string;
    expect(summary.split('\n').filter((l) => l.includes('vulnerable-dependency'))).toHaveLength(1);
    expect(summary.split('\n').filter((l) => l.includes('pyyaml 5.3') || l.includes('PyYAML 5.3'))).toHaveLength(2);
    expect(summary).toMatch(/\| `5\.4` \| new \|/);
  });

  it.each([
    [undefined, 'failure'],
    ['incomplete: neutral\n', 'neutral'],
  ])('when the advisory source is down the check says so and fails closed, never a pass (config %j)', async (config, conclusion) => {
    const down = await testApp({ advisories: { name: 'OSV API (https://api.osv.dev)', advisoriesFor: async () => { throw new AdvisorySourceError('unavailable', 'api.osv.dev answered 503 three times'); } } });
    const rec = mockScenario({ files: [{ filename: 'requirements.txt', status: 'modified', patch: PATCH, content: HEAD, base: BASE }], ...(config ? { config } : {}) });
    await down.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe(conclusion);
    expect(done.output.title).toMatch(/^Incomplete review: 1 item not reviewed/);
    expect(done.output.summary).toMatch(/### Not reviewed[\s\S]*dependency check unavailable/);
    expect(done.output.summary).toContain('api.osv.dev answered 503 three times');
  });
});

describe('GitHub-compatible servers with fewer endpoints', () => {
  it('a check_suite for a fork PR is mapped through the open pull requests when commits/{sha}/pulls is missing', async () => {
    const body = payload('check_suite', 'requested');
    body.check_suite.pull_requests = [];
    const head = body.check_suite.head_sha;
    const rec = mockScenario({ files: [{ filename: 'a.py', patch: newFilePatch('exec(x)\n'), content: 'exec(x)\n' }], config: 'fail_on: medium\n', expectReview: true });
    nock(API)
      .get(repoPath(`/commits/${head}/check-runs`))
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .get(repoPath(`/commits/${head}/pulls`))
      .reply(404, { message: 'Not Found' })
      .get(repoPath('/pulls'))
      .query(true)
      .reply(200, [
        { number: 6, state: 'open', draft: false, head: { sha: 'c'.repeat(40) }, base: { sha: 'b'.repeat(40) } },
        { number: 7, state: 'open', draft: false, head: { sha: head }, base: { sha: 'b'.repeat(40) } },
      ]);
    await app.deliver('check_suite', body);
    expect(completing(rec).conclusion).toBe('failure');
  });
});

it('a server without the Git blobs API: file contents come from the contents API at the head commit', async () => {
  const rec2 = mockScenario({ files: [{ filename: 'a.py', patch: newFilePatch('exec(x)\n'), content: 'exec(x)\n' }], config: 'fail_on: medium\n', expectReview: true });
  // the scenario's blob answer is replaced by a 404, and the content is served by the contents API instead
  nock.removeInterceptor({ proto: 'https', hostname: 'api.github.com', port: 443, method: 'GET', path: `/repos/acme/shop/git/blobs/${blobSha('exec(x)\n')}` });
  nock(API)
    .get(repoPath(`/git/blobs/${blobSha('exec(x)\n')}`))
    .reply(404, { message: 'Not Found' })
    .get(repoPath('/contents/a.py'))
    .query({ ref: 'a1'.repeat(20) })
    .reply(200, { type: 'file', encoding: 'base64', content: Buffer.from('exec(x)\n').toString('base64') });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(completing(rec2).conclusion).toBe('failure');
  expect(rec2.reviews).toHaveLength(1);
});
