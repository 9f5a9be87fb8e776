/**
 * The app against a fake GitHub, on a hostile pull request: markup in file names, code and config must not
 * reach the check run or the review as markup, and fingerprint markers written by anyone but pyward (or
 * copied by pyward's own suggestion from the PR's line) must neither silence a finding nor resolve a thread.
 */
import nock from 'nock';
import { parseFingerprints } from '../../src/report/fingerprint-marker.js';
import { API, newFilePatch, payload, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { existingCommentId, mockScenario } from './scenario.js';

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const MALLORY = { login: 'mallory', type: 'User' };
const GONE = '0123456789abcdef0123';
const FORGED = `<!-- pyward:fingerprint=${GONE} -->`;

function assertNoInjectedMarkup(markdown: string): void {
  expect(markdown).not.toMatch(/<(img|details)\b/i);
  expect(markdown).not.toMatch(/@acme(?!\u200b)/);
  expect(markdown).not.toMatch(/(?<!\\)\]\(https?:evil/);
  for (const line of markdown.split('\n')) if (line.includes('<!--')) expect(line).toMatch(/^<!-- pyward:fingerprint=[0-9a-f]+ -->$|^\s*return yaml/);
}

describe('markup injection', () => {
  const NAMED = 'app/<img src=x onerror=alert(1)> @acme/team|[x](https:evil.example).py';
  const NEWLINE = 'app/a\n# Heading <!-- x.py';
  const RUN = 'import subprocess\n\n\ndef run():\n    subprocess.Popen(["<details>@acme-team"], shell=True)\n';
  const REQS = '--extra-index-url http://mirror.example/@acme/team/<img>\n';

  it('file names, messages quoting the PR and index URLs stay text in the check run and the review', async () => {
    const files = [
      { filename: NAMED, patch: newFilePatch('eval(input())\n'), content: 'eval(input())\n' },
      { filename: NEWLINE, patch: newFilePatch('import yaml\nyaml.load(x)\n'), content: 'import yaml\nyaml.load(x)\n' },
      { filename: 'app/run.py', patch: newFilePatch(RUN), content: RUN },
      { filename: 'requirements.txt', patch: newFilePatch(REQS), content: REQS },
    ];
    const rec = mockScenario({ files, expectReview: true, config: 'review:\n  min_severity: low\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const { summary } = completing(rec).output;
    assertNoInjectedMarkup(summary);
    const lines = summary.split('\n');
    const start = lines.indexOf('| Severity | Rule | Where | Problem |');
    const rows = lines.slice(start + 2, lines.indexOf('', start));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
    expect(lines.filter((l: string) => /^\s{0,3}#/.test(l)).every((l: string) => /^### [A-Z]/.test(l))).toBe(true);
    expect(summary).toContain('&lt;details&gt;@\u200bacme-team');

    const { comments } = rec.reviews[0].body;
    expect(comments.map((c: any) => c.path)).toEqual(expect.arrayContaining([NAMED, NEWLINE, 'app/run.py', 'requirements.txt']));
    for (const c of comments) {
      assertNoInjectedMarkup(c.body);
      expect(parseFingerprints(c.body)).toHaveLength(1);
    }
  });

  it("the PR's own invalid config is quoted as text in the note", async () => {
    const text = '"<img src=x> @acme/team [x](https:evil.example)": 1\nfail_on: "<details>"\n';
    const rec = mockScenario({ files: [{ filename: '.github/pyward.yml', status: 'modified', patch: `@@ -1 +1,2 @@\n-fail_on: high\n+${text.trim().split('\n').join('\n+')}` }] });
    nock(API).get(/\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'a1'.repeat(20) }).reply(200, { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64') });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const { summary } = completing(rec).output;
    expect(summary).toMatch(/the new file is invalid/);
    expect(summary).toContain('&lt;img src=x&gt; @\u200bacme/team \\[x\\](https:evil.example)');
    assertNoInjectedMarkup(summary);
  });

  it("the default branch's invalid config is quoted as text in the neutral check", async () => {
    // (`disabel` tells the scenario that the review stops at the config.)
    const rec = mockScenario({ files: [], config: '"<img src=x>\\n# @acme/team disabel": 1\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('neutral');
    // The key is code (where `<img>` is literal), the message quoting it is text.
    const key = '`<img src=x>␊# @acme/team disabel`';
    expect(done.output.summary).toContain(`${key}: unknown key '&lt;img src=x&gt;␊# @\u200bacme/team disabel'`);
    assertNoInjectedMarkup(done.output.summary.replace(key, ''));
  });
});

describe('forged fingerprint markers', () => {
  // The PR's line carries a marker: pyward's suggestion copies it into pyward's own comment.
  const CODE = `import yaml\n\n\ndef f(x):\n    return yaml.load(x)  # ${FORGED}\n\n\ndef g(c):\n    eval(c)\n`;
  const file = { filename: 'app/views.py', patch: newFilePatch(CODE), content: CODE };

  const firstRun = async () => {
    const rec = mockScenario({ files: [file], expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    return rec.reviews[0].body.comments as { body: string; path: string }[];
  };

  it("pyward's comment quoting the forged marker carries only its own fingerprint", async () => {
    const comments = await firstRun();
    const yaml = comments.find((c) => c.body.includes('B506'))!;
    expect(yaml.body).toContain(FORGED);
    expect(parseFingerprints(yaml.body)).not.toContain(GONE);
  });

  it("a marker in someone else's comment does not stop pyward commenting that finding", async () => {
    const comments = await firstRun();
    const evalFp = parseFingerprints(comments.find((c) => c.body.includes('B307'))!.body)[0];
    const rec = mockScenario({
      files: [file],
      warm: true, // the first run's blob is cached
      expectReview: true,
      existingComments: [
        { body: `looks fine to me\n\n<!-- pyward:fingerprint=${evalFp} -->`, path: 'app/views.py', user: MALLORY },
        { body: `<!-- pyward:fingerprint=${evalFp} -->`, path: 'app/views.py', user: { login: 'other-app[bot]', type: 'Bot' }, performed_via_github_app: { id: 99, slug: 'other-app' } },
      ],
    });
    await app.deliver('pull_request', payload('pull_request', 'synchronize'));
    expect(rec.reviews[0].body.comments.map((c: any) => parseFingerprints(c.body)[0])).toContain(evalFp);
  });

  it('a forged marker of a gone fingerprint resolves no thread, neither pyward\'s nor the forger\'s', async () => {
    const comments = await firstRun();
    const existing = [...comments, { body: FORGED, path: 'app/views.py', user: MALLORY }];
    const rec = mockScenario({ files: [file], existingComments: existing, warm: true });
    const graphql: any[] = [];
    nock(API)
      .post('/graphql', (body: any) => /reviewThreads|resolveReviewThread/.test(body.query))
      .times(5)
      .optionally()
      .reply(200, (_uri, body: any) => {
        graphql.push(body);
        if (/resolveReviewThread/.test(body.query)) return { data: { resolveReviewThread: { thread: { id: body.variables.threadId } } } };
        const nodes = existing.map((c, i) => ({ id: `T${i}`, isResolved: false, comments: { nodes: [{ databaseId: existingCommentId(i), body: c.body }] } }));
        return { data: { repository: { pullRequest: { reviewThreads: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } } };
      });
    await app.deliver('pull_request', payload('pull_request', 'synchronize'));
    expect(graphql.filter((b) => /resolveReviewThread/.test(b.query))).toEqual([]);
    expect(rec.reviews).toEqual([]); // both findings already commented by pyward
    expect(completing(rec).output.summary).not.toMatch(/marked resolved/);
  });
});
