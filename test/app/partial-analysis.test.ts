/**
 * Issue 9: files CPython runs are analysed instead of skipped whole (deep chains, coding cookies, CR-only
 * line ends); what could not be analysed is listed and the check fails closed.
 */
import { newFilePatch, payload, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const annotated = (done: any) => done.output.annotations.map((a: any) => `${a.path}:${a.start_line}:${a.title.split(' ')[0]}`);

describe('a 1,100-term chain in a pull request', () => {
  const chain = Array.from({ length: 1100 }, (_, i) => `"part${i}"`).join(' + ');
  const text = `import subprocess\n\nQUERY = ${chain}\nsubprocess.call(cmd, shell=True)\n`;

  it.each([
    ['fail_on: critical\n', 'failure'],
    ['fail_on: critical\nincomplete: neutral\n', 'neutral'],
  ])('with %j: the rest of the file is reviewed and commented, the cut part listed, and the check concludes %s', async (config, conclusion) => {
    const rec = mockScenario({ files: [{ filename: 'gen.py', patch: newFilePatch(text), content: text }], config, expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe(conclusion);
    expect(annotated(done)).toEqual(['gen.py:4:B602', 'gen.py:1:B404']);
    expect(done.output.summary).toMatch(/`gen\.py`: partly analysed: code on line 3 is nested more than 1000 levels deep/);
    expect(rec.reviews[0].body.comments.map((c: any) => `${c.path}:${c.line}`)).toEqual(['gen.py:4']);
  });
});

describe('a UTF-7 file (PEP 263 cookie) in a pull request', () => {
  const text = '# -*- coding: utf-7 -*-\nimport subprocess\n+AGU-val(x)\nsubprocess.call(cmd, shell=True)\n';

  it('is decoded as CPython decodes it: eval on line 3 is found and commented, the review is complete', async () => {
    const rec = mockScenario({ files: [{ filename: 'u7.py', patch: newFilePatch(text), content: text }], config: 'fail_on: critical\n', expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('success');
    expect(annotated(done)).toEqual(['u7.py:4:B602', 'u7.py:3:B307', 'u7.py:2:B404']);
    expect(rec.reviews[0].body.comments.map((c: any) => `${c.path}:${c.line}`)).toEqual(['u7.py:4', 'u7.py:3']);
  });
});

describe('a hostile pull request adding a CR-only file (GitHub\'s patch: one line)', () => {
  it('eval(x) on its 3rd line is a new finding and fails the check', async () => {
    const text = 'import os\rx = input()\reval(x)\r';
    // GitHub's patch of the new file, as git makes it: one added line holding every CR.
    const patch = `@@ -0,0 +1 @@\n+${text}\n\\ No newline at end of file`;
    // No inline comment: GitHub numbers the file's lines by LF, so line 3 is not a diff line it can take.
    const rec = mockScenario({ files: [{ filename: 'evil.py', patch, content: text }] });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(annotated(done)).toContain('evil.py:3:PW103');
    expect(done.output.title).not.toMatch(/no new findings/i);
  });
});
