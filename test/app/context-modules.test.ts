/**
 * The app reads the unchanged project modules a PR's Python files import (GraphQL, one query per batch of
 * paths at the head commit) so data flow follows a changed view into an unchanged helper.
 */
import { blobsQuery, graphqlString } from '../../src/app/context-source.js';
import { DEFAULT_FAULT_POLICY } from '../../src/app/github-faults.js';
import { newFilePatch, payload, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

const HEAD = 'a1'.repeat(20);
const VIEW = `from flask import request
from .shell import convert


def thumbnail():
    convert(request.args["image"])
    return "ok"
`;
const HELPER = `import subprocess


def convert(name):
    subprocess.run(f"convert {name} out.png", shell=True)
`;

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const expressions = (query: string) => [...query.matchAll(/object\(expression: ("(?:[^"\\]|\\.)*")\)/g)].map((m) => JSON.parse(m[1]) as string);

describe('graphqlString', () => {
  it.each([
    ['app/db.py', '"app/db.py"'],
    ['a "quoted" name.py', '"a \\"quoted\\" name.py"'],
    ['back\\slash.py', '"back\\\\slash.py"'],
    ['new\nline.py', '"new\\u000aline.py"'],
    ['tab\t.py', '"tab\\u0009.py"'],
    ['café.py', '"caf\\u00e9.py"'],
    ['𝔘.py', '"\\ud835\\udd18.py"'],
    ['x") { evil } m1: object(expression: "y', '"x\\") { evil } m1: object(expression: \\"y"'],
  ])('%j -> %s', (text, literal) => {
    expect(graphqlString(text)).toBe(literal);
    expect(JSON.parse(literal)).toBe(text); // the escapes GraphQL and JSON share: the string comes back exactly
  });

  it('builds one aliased object lookup per path', () => {
    expect(blobsQuery('abc', ['a.py', 'b/c.py'])).toBe(
      'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { m0: object(expression: "abc:a.py") { ... on Blob { text byteSize isBinary isTruncated } } m1: object(expression: "abc:b/c.py") { ... on Blob { text byteSize isBinary isTruncated } } } }',
    );
  });
});

describe('imported project modules', () => {
  it('a changed view calling an unchanged helper that holds the sink gets the finding on its call line', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }], headFiles: { 'app/shell.py': HELPER }, expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));

    expect(rec.contextQueries).toHaveLength(1); // the helper imports only the stdlib: no second level to ask
    expect(rec.contextQueries[0].variables).toEqual({ owner: 'acme', name: 'shop' });
    expect(expressions(rec.contextQueries[0].query).slice(0, 4)).toEqual([`${HEAD}:app/shell.py`, `${HEAD}:app/shell/__init__.py`, `${HEAD}:app/shell/convert.py`, `${HEAD}:app/shell/convert/__init__.py`]);
    expect(expressions(rec.contextQueries[0].query)).toContain(`${HEAD}:flask.py`); // third-party guesses come back null
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    const pw = done.output.annotations.filter((a: any) => a.title.startsWith('PW102'));
    expect(pw.map((a: any) => [a.path, a.start_line])).toEqual([['app/views.py', 6]]);
    expect(pw[0].message).toContain('The sink is unchanged code at app/shell.py:5');
    expect(done.output.summary).toContain('Data flow also read 1 unchanged project module that the changed files import');
    expect(rec.reviews[0].body.comments.map((c: any) => [c.path, c.line])).toContainEqual(['app/views.py', 6]);
  });

  it('without the helper (not in the repository) there is no flow to report and no note', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.contextQueries).toHaveLength(1);
    const done = completing(rec);
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).not.toMatch(/Data flow also read|data flow read/);
  });

  it('reads at most 50 modules per review and says so', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `m${i}`);
    const view = `from . import ${names.join(', ')}\n`;
    const headFiles = Object.fromEntries(names.map((n) => [`app/${n}.py`, `X = 1\n`]));
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(view), content: view }], headFiles });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    // 122 paths (`app.py`, `app/__init__.py`, then two per module): two batches of at most 100; nothing after the bound
    expect(rec.contextQueries.map((q) => expressions(q.query).length)).toEqual([100, 22]);
    const summary = completing(rec).output.summary;
    expect(summary).toContain('Data flow also read 50 unchanged project modules');
    expect(summary).toContain('data flow read 50 of 60 imported project modules (limit 50 files / 2 MB per review); flows through the others were not followed');
    expect(completing(rec).conclusion).toBe('success');
  });

  it('reads at most 2 MB of modules per review and says so', async () => {
    const big = `${'# padding line of a large generated module\n'.repeat(20_000)}X = 1\n`; // 880 kB
    const view = 'from . import a, b, c\n';
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(view), content: view }], headFiles: { 'app/a.py': big, 'app/b.py': big, 'app/c.py': big } });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(completing(rec).output.summary).toContain('data flow read 2 of 3 imported project modules (limit 50 files / 2 MB per review)');
  });

  it.each([
    // GraphQL's RATE_LIMITED without a reset time: a minute per wait, within the 3 minutes of waiting per call
    ['GraphQL RATE_LIMITED', 'errors' as const, "GitHub's GraphQL API answered: API rate limit exceeded", 4],
    ['an HTTP error', 502, 'GitHub answered 502', DEFAULT_FAULT_POLICY.maxAttempts],
  ])('%s, still failing after the retries, makes the review incomplete (fail closed), saying which modules were not read', async (_name, failure, why, attempts) => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }], headFiles: { 'app/shell.py': HELPER }, contextFailure: failure });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.contextQueries).toHaveLength(attempts);
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.title).toBe('Incomplete review: 1 item not reviewed; no new findings');
    expect(done.output.summary).toContain('pyward could not review all of this change');
    expect(done.output.summary).toContain(`data flow could not read the imported project modules (${why}); flows through them were not followed`);
  });

  it('with `incomplete: neutral` a failed read is neutral, not a pass', async () => {
    const rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }], headFiles: { 'app/shell.py': HELPER }, contextFailure: 502, config: 'incomplete: neutral\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(completing(rec).conclusion).toBe('neutral');
  });

  it('nothing is read when data flow is off or no Python file changed', async () => {
    let rec = mockScenario({ files: [{ filename: 'app/views.py', patch: newFilePatch(VIEW), content: VIEW }], config: 'dataflow:\n  enabled: false\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.contextQueries).toEqual([]);
    expect(completing(rec).conclusion).toBe('success');

    rec = mockScenario({ files: [{ filename: 'docs/index.md', patch: newFilePatch('import app.db\n'), content: 'import app.db\n' }] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.contextQueries).toEqual([]);
  });
});
