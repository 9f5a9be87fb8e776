/** `pyward scan --diff BASE..HEAD` in-process on temporary git repositories: only what the range added. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, tempTree, writeTree } from '../helpers/cli.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, env: GIT_ENV });
}

/** A repository with a `main` commit, then a `pr` branch commit; `null` deletes a file. */
function repo(base: Record<string, string>, pr: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-diff-'));
  const write = (files: Record<string, string | null>) => {
    writeTree(dir, files);
    git(dir, 'add', '-A');
  };
  git(dir, 'init', '-q', '-b', 'main');
  write(base);
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'pr');
  write(pr);
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'pr');
  return dir;
}

interface JsonReport {
  failed: boolean;
  findings: { ruleId: string; location: { path: string; startLine: number; endLine: number } }[];
  preExisting: { ruleId: string; location: { path: string; startLine: number } }[];
  skipped: { path: string; reason: string }[];
  errors: unknown[];
}

const where = (r: JsonReport, key: 'findings' | 'preExisting' = 'findings') => r[key].map((f) => `${f.location.path}:${f.location.startLine}:${f.ruleId}`);

const BASE_APP = 'import subprocess\n\n\ndef legacy(code):\n    exec(code)\n';
const PR_APP = `${BASE_APP}\n\ndef new(code):\n    eval(code)\n`;

describe('pyward scan --diff', () => {
  it('reports a finding on an added line, counts but does not report one on a pre-existing line', async () => {
    const dir = repo({ 'app.py': BASE_APP }, { 'app.py': PR_APP });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(where(report)).toEqual(['app.py:9:B307']);
    expect(where(report, 'preExisting')).toEqual(['app.py:1:B404', 'app.py:5:B102']);
    expect(run.code).toBe(0); // B307 is medium; fail_on defaults to high

    const text = await runCli(['scan', '--diff', 'main..pr'], dir);
    expect(text.stdout).toMatch(/9:5 +MEDIUM +B307 eval/);
    expect(text.stdout).not.toContain('B102');
    expect(text.stdout).toContain('2 pre-existing findings in 1 touched file not reported');
  });

  it('a multi-line call whose added line is in the middle is reported, and fails the check at high', async () => {
    const call = (extra: string) => `import subprocess\n\n\ndef run(cmd):\n    subprocess.run(\n        cmd,\n${extra}        check=True,\n    )\n`;
    const dir = repo({ 'tasks.py': call('') }, { 'tasks.py': call('        shell=True,\n') });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as JsonReport;
    // reported on the added shell=True line itself, as Bandit reports B602
    expect(report.findings.map((f) => [f.ruleId, f.location.startLine, f.location.endLine])).toEqual([['B602', 7, 7]]);
    expect(report.failed).toBe(true);
    expect(run.code).toBe(1);
  });

  it('github-review prints the check run and the review, comments anchored on added lines', async () => {
    const dir = repo({ 'app.py': BASE_APP }, { 'app.py': `${PR_APP}    subprocess.call(code, shell=True)\n` });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.title).toMatch(/new finding/);
    expect(out.checkRun.summary).toContain('B602');
    expect(out.checkRun.annotations.map((a: { path: string; start_line: number }) => `${a.path}:${a.start_line}`)).toEqual(['app.py:10', 'app.py:9']);
    expect(out.review.body).toMatch(/pyward found 2 new problems/);
    expect(out.review.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toEqual(['app.py:10', 'app.py:9']);
    expect(out.review.comments[0].body).toContain('[B602 documentation](docs/rules.md#b602)');
  });

  it('removed and non-Python files are fine; a binary .py is listed and the review fails closed (exit 2) unless incomplete: neutral', async () => {
    const dir = repo(
      { 'old.py': 'exec(x)\n', 'README.md': 'hi\n', 'requirements.txt': 'flask==2.0\n' },
      { 'old.py': null, 'README.md': 'hello\n', 'blob.py': '\0\x01\x02', 'requirements.txt': 'flask==3.0\n' },
    );
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.skipped).toEqual([
      { path: 'README.md', reason: 'not Python' },
      { path: 'blob.py', reason: 'binary file' },
    ]);
    expect(run.stderr).toContain('not reviewed:\n  blob.py: binary file');
    expect(run.code).toBe(2);
    const soft = tempTree({ 'soft.yml': 'incomplete: neutral\n' });
    const neutral = await runCli(['scan', '--diff', 'main..pr', '--repo', dir, '--config', join(soft, 'soft.yml')], dir);
    expect(neutral.stderr).toMatch(/incomplete, not failing because of `incomplete: neutral`/);
    expect(neutral.code).toBe(0);
  });

  it('a change touching only non-Python files and removals is a pass', async () => {
    const dir = repo({ 'old.py': 'exec(x)\n', 'README.md': 'hi\n' }, { 'old.py': null, 'README.md': 'hello\n' });
    const run = await runCli(['scan', '--diff', 'main..pr'], dir);
    expect(run.code).toBe(0);
  });

  it('--repo points at the repository and its .github/pyward.yml (paths.ignore, fail_on) applies', async () => {
    const dir = repo(
      { '.github/pyward.yml': 'fail_on: medium\npaths:\n  ignore: ["migrations"]\n', 'app.py': BASE_APP },
      { 'app.py': PR_APP, 'shop/migrations/0001.py': 'exec(code)\n' },
    );
    const elsewhere = mkdtempSync(join(tmpdir(), 'pyward-cwd-'));
    const run = await runCli(['scan', '--diff', 'main...pr', '--repo', dir, '--format', 'json'], elsewhere);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(where(report)).toEqual(['app.py:9:B307']);
    expect(report.skipped).toContainEqual({ path: 'shop/migrations/0001.py', reason: 'ignored by paths.ignore' });
    expect(run.code).toBe(1); // medium finding, fail_on: medium
  });

  it.each([
    ['a bad revision', ['scan', '--diff', 'main..no-such-branch'], /pyward: unknown revision 'no-such-branch'/],
    ['a single revision', ['scan', '--diff', 'main'], /--diff takes a range BASE\.\.HEAD/],
    ['paths with --diff', ['scan', '--diff', 'main..pr', 'app.py'], /--diff reviews a git range and takes no PATH/],
    ['github-review without --diff', ['scan', '.', '--format', 'github-review'], /--format github-review needs --diff/],
  ])('%s exits 2 with a clear message', async (_name, argv, message) => {
    const dir = repo({ 'app.py': BASE_APP }, { 'app.py': PR_APP });
    const run = await runCli(argv, dir);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('outside a git repository exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pyward-nogit-'));
    const run = await runCli(['scan', '--diff', 'HEAD~1..HEAD'], dir);
    expect(run.stderr).toMatch(/not inside a git repository/);
    expect(run.code).toBe(2);
  });

  it('sarif carries only the new findings', async () => {
    const dir = repo({ 'app.py': BASE_APP }, { 'app.py': PR_APP });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'sarif'], dir);
    const log = JSON.parse(run.stdout);
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['B307']);
    expect(run.code).toBe(0);
  });
});
