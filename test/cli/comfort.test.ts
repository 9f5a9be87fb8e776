/** `--format github`, `--baseline`, `--quiet` and the progress bar of `pyward scan`. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { createProgress, renderBar } from '../../src/cli/progress.js';
import { runCli, TEST_ADVISORY_DB, tempTree, writeTree } from '../helpers/cli.js';

const SHELL = 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';
const CLEAN = 'def add(a, b):\n    return a + b\n';

describe('--format github', () => {
  it('prints one workflow command per finding, errors at fail-on, and exits as the text report does', async () => {
    const dir = tempTree({ 'jobs/run.py': SHELL });
    const run = await runCli(['scan', '.', '--format', 'github'], dir);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=jobs\/run\.py,line=5,col=26,endColumn=\d+,title=B602 subprocess_popen_with_shell_equals_true \(high\)::/);
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=jobs\/run\.py,line=1,col=1,endColumn=\d+,title=B404 /));
    expect(lines.at(-1)).toMatch(/^pyward: 2 findings \(1 high, 1 low\) in 1 file$/);
  });

  it('escapes a file name that would inject a second command', async () => {
    const dir = tempTree({ 'a,line=1::x.py': 'exec(code)\n' });
    const run = await runCli(['scan', '.', '--format', 'github'], dir);
    expect(run.stdout.split('\n')[0]).toMatch(/^::warning file=a%2Cline=1%3A%3Ax\.py,line=1,col=1,/);
  });
});

describe('--baseline', () => {
  it('reports only findings absent from a previous JSON report, even after lines move', async () => {
    const dir = tempTree({ 'app.py': SHELL });
    expect((await runCli(['scan', '.', '--format', 'json', '--output', 'baseline.json'], dir)).code).toBe(1);
    // Two lines added above the old finding, and a new finding below it.
    writeTree(dir, { 'app.py': `"""Jobs."""\n\n${SHELL}\n\ndef evaluate(text):\n    return eval(text)\n` });

    const all = await runCli(['scan', 'app.py', '--format', 'json'], dir);
    expect(JSON.parse(all.stdout).findings.map((f: any) => f.ruleId).sort()).toEqual(['B307', 'B404', 'B602']);

    const run = await runCli(['scan', 'app.py', '--format', 'json', '--baseline', 'baseline.json'], dir);
    expect(JSON.parse(run.stdout).findings.map((f: any) => [f.ruleId, f.location.startLine])).toEqual([['B307', 11]]);
    expect(run.stderr).toBe('pyward: 2 finding(s) already in the baseline baseline.json not reported\n');
    expect(run.code).toBe(0); // B307 is medium: the known high B602 no longer fails the scan
  });

  it('applies to a --diff review too', async () => {
    const dir = tempTree({ 'app.py': CLEAN });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeTree(dir, { 'app.py': `${CLEAN}\n${SHELL}` });
    git('commit', '-qam', 'shell');
    const first = await runCli(['scan', '--diff', 'HEAD~1..HEAD', '--format', 'json', '--output', join(dir, '..', `${dir.split('/').pop()}-baseline.json`)], dir);
    expect(first.code).toBe(1);
    const again = await runCli(['scan', '--diff', 'HEAD~1..HEAD', '--baseline', join(dir, '..', `${dir.split('/').pop()}-baseline.json`)], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No findings');
    expect(again.stderr).toMatch(/2 finding\(s\) already in the baseline .* not reported/);
  });

  it.each([
    ['a missing file', undefined, /cannot read the baseline missing\.json: ENOENT/],
    ['not JSON', 'not json', /the baseline b\.json is not JSON/],
    ['a SARIF log instead', JSON.stringify({ version: '2.1.0', runs: [] }), /the baseline b\.json is not a pyward JSON report \(formatVersion: /],
    ['findings without fingerprints', JSON.stringify({ formatVersion: 1, tool: { name: 'pyward' }, findings: [{ ruleId: 'B602' }] }), /not a pyward JSON report \(findings\.0\.fingerprint: Required\)/],
  ])('%s is a clear error, exit 2', async (_name, content, message) => {
    const dir = tempTree({ 'app.py': SHELL });
    if (content !== undefined) writeFileSync(join(dir, 'b.json'), content);
    const run = await runCli(['scan', '.', '--baseline', content === undefined ? 'missing.json' : 'b.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('--quiet', () => {
  it('prints nothing for a clean scan, and the findings when there are some', async () => {
    const dir = tempTree({ 'ok.py': CLEAN });
    expect(await runCli(['scan', '.', '-q'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    writeTree(dir, { 'bad.py': SHELL });
    const run = await runCli(['scan', '.', '--quiet'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/B602/);
  });

  it('drops notes on stderr but never the errors', async () => {
    const empty = tempTree({ 'README.md': '# nothing\n' });
    expect((await runCli(['scan', '.'], empty)).stderr).toMatch(/no Python or dependency files found/);
    expect(await runCli(['scan', '.', '--quiet'], empty)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await runCli(['scan', 'nope.py', '--quiet'], empty)).stderr).toMatch(/no such file or directory: nope\.py/);
  });
});

class Terminal extends Writable {
  text = '';
  constructor(public isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe('progress bar', () => {
  it.each([
    [0, 10, '[..............................] 0/10 files'],
    [5, 10, '[###############...............] 5/10 files'],
    [10, 10, '[##############################] 10/10 files'],
  ])('%i of %i: %s', (done, total, bar) => expect(renderBar(done, total)).toBe(bar));

  /** A clock that moves `step` ms each time it is read. */
  const clock = (step: number) => {
    let t = 0;
    return () => (t += step);
  };

  it('draws after a second on a terminal, redraws at most every 100 ms, and erases itself', () => {
    const tty = new Terminal(true);
    const progress = createProgress(tty, 4, { now: clock(400), enabled: true });
    progress.update(1); // 400 ms after the start: silent
    progress.update(2); // 800 ms
    progress.update(3); // 1200 ms: drawn
    progress.update(4); // last file: drawn whatever the time
    progress.end();
    expect(tty.text).toBe('\r[######################........] 3/4 files\x1b[K\r[##############################] 4/4 files\x1b[K\r\x1b[K');
    const fast = new Terminal(true);
    const often = createProgress(fast, 100, { now: clock(1000 / 20), enabled: true });
    for (let i = 1; i <= 60; i++) often.update(i);
    // a file every 50 ms for 3 s: drawn from 1 s on, every other file (100 ms): 21 times, not 60
    expect(fast.text.match(/\r\[/g)).toHaveLength(21);
  });

  it.each([
    ['not a terminal', false, true, 4],
    ['--quiet', true, false, 4],
    ['nothing to scan', true, true, 0],
  ])('stays silent when %s', (_name, isTTY, enabled, total) => {
    const stream = new Terminal(isTTY);
    const progress = createProgress(stream, total, { now: clock(2000), enabled });
    for (let i = 1; i <= total; i++) progress.update(i);
    progress.end();
    expect(stream.text).toBe('');
  });

  it('a scan on a terminal shows it on stderr, and never in the report on stdout', async () => {
    const dir = tempTree(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m${i}.py`, CLEAN])));
    const stdout = new Terminal(false);
    const stderr = new Terminal(true);
    const code = await main(['scan', '.', '--jobs', '1'], { stdout, stderr, cwd: dir, env: { PYWARD_ADVISORY_DB: TEST_ADVISORY_DB }, now: clock(700) });
    expect(code).toBe(0);
    expect(stderr.text).toContain('\r[##############################] 5/5 files\x1b[K');
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(stdout.text).not.toContain('files\x1b');
    // With worker threads (24 files or more), files finished by workers count too.
    const tree = tempTree(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m${i}.py`, CLEAN])));
    const threaded = new Terminal(true);
    expect(await main(['scan', '.', '--jobs', '2'], { stdout: new Terminal(false), stderr: threaded, cwd: tree, env: { PYWARD_ADVISORY_DB: TEST_ADVISORY_DB }, now: clock(700) })).toBe(0);
    expect(threaded.text).toContain('] 30/30 files\x1b[K');
    const quiet = new Terminal(true);
    await main(['scan', '.', '--jobs', '1', '--quiet'], { stdout: new Terminal(false), stderr: quiet, cwd: dir, env: { PYWARD_ADVISORY_DB: TEST_ADVISORY_DB }, now: clock(700) });
    expect(quiet.text).toBe('');
  });
});
