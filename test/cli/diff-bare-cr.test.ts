/** A hostile change with CR-only line endings: git sees one line, the analysis (as CPython) sees several. */
import { runCli } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';

const where = (out: { findings: { ruleId: string; location: { path: string; startLine: number } }[] }) => out.findings.map((f) => `${f.location.path}:${f.location.startLine}:${f.ruleId}`);

describe('--diff with CR-only files', () => {
  it('a new CR-only file with eval(x) on its 3rd line: reported as new, on line 3 (exit 1)', async () => {
    const dir = gitRepo({ 'ok.py': 'x = 1\n' }, { 'evil.py': 'import os\rx = input()\reval(x)\r' });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const out = JSON.parse(run.stdout);
    expect(where(out)).toContain('evil.py:3:B307');
    expect(out.preExisting ?? []).toEqual([]);
    expect(run.code).toBe(1);
  });

  it('an existing CR-only file the change edits: every line of the changed git line counts; github-review lists what it cannot anchor', async () => {
    const dir = gitRepo({ 'evil.py': 'import os\rx = 1\r' }, { 'evil.py': 'import os\rx = input()\reval(x)\r' });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const out = JSON.parse(run.stdout);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.annotations.map((a: { path: string; start_line: number; title: string }) => `${a.path}:${a.start_line}:${a.title.split(' ')[0]}`)).toContain('evil.py:3:PW103');
    expect(run.code).toBe(1);
  });

  it('an unchanged CR-only file beside a change stays out of the review; LF files keep their exact lines', async () => {
    const dir = gitRepo({ 'old.py': 'eval(a)\reval(b)\r', 'app.py': 'x = 1\n' }, { 'app.py': 'x = 1\neval(x)\n' });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    expect(where(JSON.parse(run.stdout))).toEqual(['app.py:2:B307']);
  });
});
