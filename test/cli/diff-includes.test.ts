/** `pyward scan --diff`: requirements files a change includes (`-r`, `-c`) are read from git at the head, inside the repository only. */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';

interface JsonFinding {
  ruleId: string;
  message: string;
  location: { path: string; startLine: number };
}
interface JsonReport {
  findings: JsonFinding[];
  errors: { path: string; message: string }[];
}

const VULNERABLE = 'PyYAML==5.3.1\n'; // PYSEC-2021-142 (critical), fixed in 5.4
const where = (r: JsonReport) => r.findings.map((f) => `${f.location.path}:${f.location.startLine}:${f.ruleId}`);

async function review(dir: string) {
  const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

describe('includes a change adds', () => {
  it('-r of an unchanged file: its vulnerable pin is reported on the include line, naming where it is pinned', async () => {
    const dir = gitRepo({ 'requirements.txt': 'flask==2.0.3\n', 'deps/pins.txt': `requests==2.31.0\n${VULNERABLE}` }, { 'requirements.txt': 'flask==2.0.3\n-r deps/pins.txt\n' });
    const { run, report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:2:PYSEC-2021-142']);
    expect(report.findings[0].message).toContain('pinned in deps/pins.txt line 2, which `-r deps/pins.txt` on this line brings in');
    expect(report.errors).toEqual([]);
    expect(run.code).toBe(1);
  });

  it('-c of an unchanged constraints file, and what that file includes in turn (two levels down)', async () => {
    const dir = gitRepo(
      { 'requirements.txt': 'pyyaml\n', 'c/constraints.txt': '-c ../d/more.txt\n', 'd/more.txt': VULNERABLE },
      { 'requirements.txt': 'pyyaml\n-c c/constraints.txt\n' },
    );
    const { report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:2:PYSEC-2021-142']);
    expect(report.findings[0].message).toContain('pinned in d/more.txt line 1, which `-c c/constraints.txt` on this line brings in');
  });

  it('an included file the change also adds, named as a requirements file: reported on the pin line, where the fix goes', async () => {
    const dir = gitRepo({ 'requirements.txt': 'flask==2.0.3\n' }, { 'requirements.txt': 'flask==2.0.3\n-r requirements/base.txt\n', 'requirements/base.txt': `six==1.16.0\n${VULNERABLE}` });
    const { report } = await review(dir);
    expect(where(report)).toEqual(['requirements/base.txt:2:PYSEC-2021-142']);
  });

  it('an existing requirements file newly included: its old pins are new to the install, on the include line', async () => {
    const dir = gitRepo({ 'requirements.txt': 'flask==2.0.3\n', 'requirements-old.txt': VULNERABLE }, { 'requirements.txt': 'flask==2.0.3\n-r requirements-old.txt\n' });
    const { report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:2:PYSEC-2021-142']);
  });

  it('an include the change did not add, of a file it did not touch, is not read (nothing new there)', async () => {
    const dir = gitRepo({ 'requirements.txt': '-r deps/pins.txt\nflask==2.0.3\n', 'deps/pins.txt': VULNERABLE }, { 'requirements.txt': '-r deps/pins.txt\nflask==2.0.4\n' });
    const { run, report } = await review(dir);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('an old include, in a requirements file the change touches, of a file it edits (not named as a requirements file): the edited file is read and checked', async () => {
    const dir = gitRepo({ 'requirements.txt': '-r deps/pins.txt\nflask==2.0.3\n', 'deps/pins.txt': 'six==1.16.0\n' }, { 'requirements.txt': '-r deps/pins.txt\nflask==2.0.4\n', 'deps/pins.txt': `six==1.16.0\n${VULNERABLE}` });
    const { report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:1:PYSEC-2021-142']);
  });
});

describe('includes refused: listed as not reviewed, the review fails closed, nothing outside is read', () => {
  it.each([
    ['a path climbing out of the repository', '-r ../outside/pins.txt', /`-r \.\.\/outside\/pins\.txt`\): included file not reviewed: the path leads outside the repository/],
    ['an absolute path', '-r /etc/hostname', /included file not reviewed: the path leads outside the repository/],
    ['a URL', '-r https://example.com/pins.txt', /included file not reviewed: a remote include \(URL\) is not fetched/],
    ['a missing file', '-r deps/nothing.txt', /deps\/nothing\.txt: no such file at the head commit/],
  ])('%s', async (_name, line, reason) => {
    const dir = gitRepo({ 'requirements.txt': 'flask==2.0.3\n' }, { 'requirements.txt': `flask==2.0.3\n${line}\n` });
    const { run, report } = await review(dir);
    expect(report.findings).toEqual([]);
    expect(report.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([expect.stringMatching(reason)]);
    expect(report.errors[0].message).toMatch(/^line 2 /);
    expect(run.stderr).toMatch(/not reviewed:\n {2}requirements\.txt: line 2/);
    expect(run.code).toBe(2);
  });

  it('a symbolic link, inside or outside the repository, is never followed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pyward-outside-'));
    writeFileSync(join(outside, 'pins.txt'), VULNERABLE);
    const dir = gitRepo(
      { 'requirements.txt': 'flask==2.0.3\n', 'deps/real.txt': VULNERABLE },
      { 'requirements.txt': 'flask==2.0.3\n-r deps/link.txt\n-r deps/out.txt\n' },
      {
        pr: (d) => {
          symlinkSync('real.txt', join(d, 'deps/link.txt'));
          symlinkSync(join(outside, 'pins.txt'), join(d, 'deps/out.txt'));
        },
      },
    );
    const { run, report } = await review(dir);
    expect(report.findings).toEqual([]);
    expect(report.errors.map((e) => e.message)).toEqual([
      'line 2 (`-r deps/link.txt`): included file not reviewed: deps/link.txt: a symbolic link (never followed)',
      'line 3 (`-r deps/out.txt`): included file not reviewed: deps/out.txt: a symbolic link (never followed)',
    ]);
    expect(run.code).toBe(2);
  });

  it('nesting past 5 levels is refused at the level that goes over; what is above it is checked', async () => {
    const chain: Record<string, string> = { 'requirements.txt': 'flask==2.0.3\n' };
    for (let i = 1; i <= 6; i++) chain[`deps/l${i}.txt`] = i === 6 ? VULNERABLE : `-r l${i + 1}.txt\n${i === 3 ? VULNERABLE : ''}`;
    const dir = gitRepo(chain, { 'requirements.txt': 'flask==2.0.3\n-r deps/l1.txt\n' });
    const { run, report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:2:PYSEC-2021-142']);
    expect(report.findings[0].message).toContain('pinned in deps/l3.txt line 2');
    expect(report.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['deps/l5.txt: line 1 (`-r l6.txt`): included file not reviewed: includes nested deeper than 5 levels are not followed']);
    expect(run.code).toBe(2); // incomplete
  });

  it('an include cycle ends; each file is read once', async () => {
    const dir = gitRepo({ 'requirements.txt': 'flask==2.0.3\n', 'deps/a.txt': '-r b.txt\n', 'deps/b.txt': `-r a.txt\n${VULNERABLE}` }, { 'requirements.txt': 'flask==2.0.3\n-r deps/a.txt\n' });
    const { report } = await review(dir);
    expect(where(report)).toEqual(['requirements.txt:2:PYSEC-2021-142']);
    expect(report.errors).toEqual([]);
  });
});
