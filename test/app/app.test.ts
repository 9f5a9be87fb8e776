import nock from 'nock';
import { API, newFilePatch, payload, repoPath, testApp, type TestApp } from '../helpers/github.js';
import { mockScenario } from './scenario.js';

const VULNERABLE = `import subprocess
import yaml
from flask import request


def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert {name} out.png", shell=True)
    return yaml.load(request.data)
`;

let app: TestApp;

beforeEach(async () => {
  nock.disableNetConnect();
  app = await testApp();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
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
      expect.arrayContaining([['app/views.py', 8, expect.stringMatching(/B602/)]]),
    );
    expect(done.output.summary).toMatchSnapshot('check-run summary');

    expect(rec.reviews).toHaveLength(1);
    const review = rec.reviews[0].body;
    expect(review.event).toBe('COMMENT');
    expect(review.commit_id).toBe('a1'.repeat(20));
    // worst first; low findings (B404, B607 here) are annotations only (review.min_severity: medium)
    expect(review.comments.map((c: any) => [c.path, c.line, c.side, /`(B\d+)`/.exec(c.body)?.[1]])).toEqual([
      ['app/views.py', 8, 'RIGHT', 'B602'],
      ['app/views.py', 9, 'RIGHT', 'B506'],
    ]);
    expect(done.output.annotations).toHaveLength(4);
    expect(review.comments[1].body).toContain('```suggestion\n    return yaml.safe_load(request.data)\n```');
    expect(review.comments.every((c: any) => /<!-- pyward:fingerprint=[0-9a-f]+ -->/.test(c.body))).toBe(true);
    expect(review).toMatchSnapshot('review');
  });
});
