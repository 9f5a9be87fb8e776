/**
 * `pyward scan --diff`: the config in force is the base side's, read from git as the App reads the default
 * branch's; the range's own copy is validated and reported, never applied; links are never followed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeTree } from '../helpers/cli.js';

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV });

/** `main`, then the `pr` branch checked out in the work tree (as CI checks out a pull request). */
function repo(base: Record<string, string>, pr: Record<string, string>, links: { base?: Record<string, string>; pr?: Record<string, string> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-diffcfg-'));
  const link = (l: Record<string, string> = {}) => {
    for (const [path, target] of Object.entries(l)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      symlinkSync(target, join(dir, path));
    }
  };
  git(dir, 'init', '-q', '-b', 'main');
  writeTree(dir, base);
  link(links.base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'pr');
  if (links.pr) for (const path of Object.keys(links.pr)) execFileSync('rm', ['-f', join(dir, path)]);
  writeTree(dir, pr);
  link(links.pr);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'pr');
  return dir;
}

const SHELL = 'import subprocess\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';

/** "Billion laughs": aliases of aliases. */
const BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');

const conclusionOf = (stdout: string) => (JSON.parse(stdout) as { checkRun: { conclusion: string } }).checkRun.conclusion;

describe('pyward scan --diff: which config applies', () => {
  it('a change that adds paths.ignore: ["**"] does not switch its own review off (the work tree holds the PR)', async () => {
    const dir = repo({ 'README.md': 'x\n' }, { '.github/pyward.yml': 'paths:\n  ignore: ["**"]\n', 'app.py': SHELL });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const out = JSON.parse(run.stdout);
    expect(out.checkRun.annotations.map((a: any) => `${a.path}:${a.start_line}`)).toContain('app.py:4');
    expect(out.checkRun.summary).toMatch(/This change changes `\.github\/pyward\.yml`: it is valid and will apply once merged/);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(run.code).toBe(1);
  });

  it('the base side config applies, not the head side one', async () => {
    const dir = repo({ '.github/pyward.yml': 'rules:\n  disable: [B602, PW102]\n' }, { '.github/pyward.yml': 'fail_on: critical\n', 'app.py': SHELL });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId)).not.toContain('B602');
    expect(run.code).toBe(0);
  });

  it('a billion-laughs config in the change is reported invalid; the rest is reviewed and the check fails closed', async () => {
    const dir = repo({ 'README.md': 'x\n' }, { '.github/pyward.yml': BOMB, 'app.py': 'exec(x)\n' });
    const review = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const out = JSON.parse(review.stdout);
    expect(out.checkRun.annotations.map((a: any) => a.title.split(' ')[0])).toEqual(['B102']);
    expect(out.checkRun.summary).toMatch(/new file is invalid[\s\S]*aliases are limited to 100/);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(review.code).toBe(2);
    const text = await runCli(['scan', '--diff', 'main..pr'], dir);
    expect(text.stdout).toMatch(/new file is invalid/);
    expect(text.stderr).toMatch(/\.github\/pyward\.yml: the configuration this change proposes is invalid/);
    expect(text.code).toBe(2);
  });

  it('a base config that is a symbolic link out of the repository is refused, and what it points at is never echoed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pyward-outside-'));
    writeFileSync(join(outside, 'secret.yml'), 'fail_on: TOP-SECRET-VALUE\n');
    const dir = repo({ 'README.md': 'x\n' }, { 'app.py': 'exec(x)\n' }, { base: { '.github/pyward.yml': join(outside, 'secret.yml') } });
    const run = await runCli(['scan', '--diff', 'main..pr'], dir);
    expect(run.stderr).toMatch(/\.github\/pyward\.yml at [0-9a-f]{12} \(the base of the range\) is a symbolic link; pyward does not follow links/);
    expect(run.stderr + run.stdout).not.toContain('TOP-SECRET-VALUE');
    expect(run.code).toBe(2);
  });

  it('a change that makes the config a symbolic link: not followed, reported, fails closed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pyward-outside-'));
    writeFileSync(join(outside, 'secret.yml'), 'fail_on: TOP-SECRET-VALUE\n');
    const dir = repo({ '.github/pyward.yml': 'fail_on: high\n' }, { 'app.py': 'x = 1\n' }, { pr: { '.github/pyward.yml': join(outside, 'secret.yml') } });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    expect(conclusionOf(run.stdout)).toBe('failure');
    expect(run.stdout).toMatch(/makes `\.github\/pyward\.yml` a symbolic link/);
    expect(run.stderr + run.stdout).not.toContain('TOP-SECRET-VALUE');
    expect(run.code).toBe(2);
  });

  it('an invalid base config exits 2 naming the key, without reading the work tree', async () => {
    const dir = repo({ '.github/pyward.yml': 'fail_on: hihg\n' }, { '.github/pyward.yml': 'fail_on: high\n', 'app.py': 'x = 1\n' });
    const run = await runCli(['scan', '--diff', 'main..pr'], dir);
    expect(run.stderr).toMatch(/invalid configuration:\n\.github\/pyward\.yml at [0-9a-f]{12} \(the base of the range\):1: fail_on: must be one of/);
    expect(run.code).toBe(2);
  });

  it('--config FILE still wins (an explicit choice of whoever runs the CLI)', async () => {
    const dir = repo({ '.github/pyward.yml': 'fail_on: low\n' }, { 'app.py': 'exec(x)\n' });
    const cfg = mkdtempSync(join(tmpdir(), 'pyward-cfg-'));
    writeFileSync(join(cfg, 'p.yml'), 'fail_on: critical\n');
    const run = await runCli(['scan', '--diff', 'main..pr', '--config', join(cfg, 'p.yml')], dir);
    expect(run.code).toBe(0);
  });
});

describe('pyward scan --diff: exit code and check conclusion agree', () => {
  it.each([
    ['a clean change', { 'app.py': 'x = 1\n' }, 'success', 0],
    ['a failing finding', { 'app.py': SHELL }, 'failure', 1],
    ['a file over max_file_size', { '.github/pyward.yml': 'max_file_size: 50\n', 'big.py': `x = 1\n${'# pad\n'.repeat(20)}` }, 'failure', 2],
    ['the same, incomplete: neutral', { '.github/pyward.yml': 'max_file_size: 50\nincomplete: neutral\n', 'big.py': `x = 1\n${'# pad\n'.repeat(20)}` }, 'neutral', 0],
    ['an undecodable file', { 'bad.py': '# -*- coding: no-such-codec -*-\nx = 1\n' }, 'failure', 2],
  ])('%s: the check and the exit code agree', async (_name, files, conclusion, code) => {
    // The config is put on the base side: that is the one in force.
    const base = Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('.github/')));
    const head = Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith('.github/')));
    const dir = repo({ 'README.md': 'x\n', ...base }, head);
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    expect(conclusionOf(run.stdout)).toBe(conclusion);
    expect(run.code).toBe(code);
  });
});
