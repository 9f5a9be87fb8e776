/** The App follows the `-r` / `-c` includes a pull request adds: read at the head commit, inside the repository only. */
import nock from 'nock';
import { API, b64, HEAD_SHA, payload, repoPath, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const BASE = 'flask==2.0.3\n';
const requirements = (include: string) => ({
  filename: 'requirements.txt',
  status: 'modified' as const,
  patch: `@@ -1 +1,2 @@\n flask==2.0.3\n+${include}`,
  content: `flask==2.0.3\n${include}\n`,
  base: BASE,
});
/** The contents API at the head commit for one path. */
const headContent = (path: string) => nock(API).get(repoPath(`/contents/${encodeURIComponent(path)}`)).query({ ref: HEAD_SHA });

describe('an include the pull request adds', () => {
  it('of an unchanged file with a vulnerable pin: the advisory is on the include line, commented there; a re-run reads the file from the cache', async () => {
    const rec = mockScenario({ files: [requirements('-r deps/pins.txt')], expectReview: true });
    const pins = headContent('deps/pins.txt').reply(200, { type: 'file', path: 'deps/pins.txt', sha: 'c'.repeat(40), encoding: 'base64', content: b64('requests==2.31.0\nPyYAML==5.3.1\n') });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(pins.isDone()).toBe(true);
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line, a.title])).toEqual([['requirements.txt', 2, 'PYSEC-2021-142 vulnerable-dependency (critical)']]);
    const [comment] = rec.reviews[0].body.comments;
    expect([comment.path, comment.line]).toEqual(['requirements.txt', 2]);
    expect(comment.body).toContain('pinned in deps/pins.txt line 2');
    expect(comment.body).not.toContain('```suggestion'); // the fix is in the other file

    // Re-run of the same head: no request for the included file (an unmatched one would fail the test).
    const again = mockScenario({ files: [requirements('-r deps/pins.txt')], existingRunId: 555, warm: true, expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'synchronize'));
    expect(completing(again).output.annotations).toHaveLength(1);
  });

  it('of a file over 1 MB: read by its blob sha, as other files are', async () => {
    const rec = mockScenario({ files: [requirements('-c constraints/prod.pins')], expectReview: true });
    headContent('constraints/prod.pins').reply(200, { type: 'file', path: 'constraints/prod.pins', sha: 'd'.repeat(40), encoding: 'none', content: '' });
    nock(API).get(repoPath(`/git/blobs/${'d'.repeat(40)}`)).reply(200, { encoding: 'base64', content: b64('PyYAML==5.3.1\n') });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(completing(rec).output.annotations.map((a: any) => [a.path, a.start_line])).toEqual([['requirements.txt', 2]]);
  });

  it.each([
    ['a symbolic link GitHub reports as such', '-r deps/link.txt', () => headContent('deps/link.txt').reply(200, { type: 'symlink', path: 'deps/link.txt', target: '../../etc/pins', sha: 'e'.repeat(40) }), /deps\/link\.txt: a symbolic link \(never followed\)/],
    [
      'a symbolic link GitHub resolves to its target (another path)',
      '-r deps/link.txt',
      () => headContent('deps/link.txt').reply(200, { type: 'file', path: 'deps/real.txt', sha: 'e'.repeat(40), encoding: 'base64', content: b64('PyYAML==5.3.1\n') }),
      /deps\/link\.txt: a symbolic link \(never followed\)/,
    ],
    ['a path climbing out of the repository (never asked)', '-r ../../secrets/pins.txt', () => undefined, /the path leads outside the repository/],
    ['an absolute path (never asked)', '-c /etc/pip/constraints.txt', () => undefined, /the path leads outside the repository/],
    ['a folder', '-r deps', () => headContent('deps').reply(200, [{ type: 'file', path: 'deps/a.txt' }]), /deps: a folder, not a file/],
    ['a missing file', '-r deps/none.txt', () => headContent('deps/none.txt').reply(404, { message: 'Not Found' }), /deps\/none\.txt: no such file at the head commit/],
  ])('%s: refused, listed as not reviewed, the check fails closed', async (_name, include, mock, reason) => {
    const rec = mockScenario({ files: [requirements(include)] });
    mock();
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations ?? []).toEqual([]);
    expect(done.output.summary).toMatch(/### Not reviewed/);
    expect(done.output.summary).toMatch(reason);
    expect(done.output.summary).toContain('line 2');
  });
});
