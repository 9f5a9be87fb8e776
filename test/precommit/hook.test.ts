/**
 * The pre-commit hook of .pre-commit-hooks.yaml, run by pre-commit itself (Debian's `pre-commit`; .ci/run
 * installs it) in a temporary git repository: `pre-commit install`, then `git commit`. The hook is used as
 * published (id, files, entry's arguments, require_serial) except for two keys: `language: node` would make
 * pre-commit `npm install` pyward from the registry, which a hermetic test cannot, so the hook runs as
 * `language: system` with `entry` pointing at this checkout's bin/pyward.js. pre-commit's own file filtering
 * (Python's `re.search` on `files`), argument passing and exit-code handling are the real ones.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { isDependencyFile } from '../../src/dependencies/dependency-files.js';
import { isPythonPath } from '../../src/engine/scan-change.js';
import { TEST_ADVISORY_DB, tempTree, writeTree } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, any>[];
const hook = hooks[0];

it('publishes one node hook whose entry is the pyward bin', () => {
  expect(hooks.map((h) => h.id)).toEqual(['pyward']);
  expect(hook.language).toBe('node');
  expect(hook.entry.split(' ').slice(0, 2)).toEqual(['pyward', 'scan']);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect(Object.keys(pkg.bin)).toContain('pyward');
});

it('`files` selects exactly the files pyward reads as Python or dependency files (Python regex semantics)', () => {
  const paths = [
    'app.py', 'pkg/stubs.pyi', 'pkg/app.py.orig', 'requirements.txt', 'requirements-dev.in', 'sub/REQUIREMENTS.TXT', 'requirements/base.txt',
    'requirements/prod/extra.in', 'constraints.txt', 'dev-constraints.in', 'poetry.lock', 'Pipfile.lock', 'pipfile.lock', 'uv.lock', 'pdm.lock', 'a/pyproject.toml',
    'setup.cfg', 'setup.py', 'README.md', 'notes.txt', 'package-lock.json', 'pyproject.toml.bak', 'myuv.lock',
  ];
  const script = 'import json, re, sys\nfiles, paths = json.load(sys.stdin)\nprint(json.dumps([bool(re.search(files, p)) for p in paths]))';
  const matched = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify([hook.files, paths]) }).toString()) as boolean[];
  expect(Object.fromEntries(paths.map((p, i) => [p, matched[i]]))).toEqual(Object.fromEntries(paths.map((p) => [p, isPythonPath(p) || isDependencyFile(p)])));
});

describe('a commit through pre-commit', () => {
  const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
  if (!hasPreCommit) throw new Error('pre-commit is not installed: apt-get install -y pre-commit (.ci/run does it)');

  function repo(args?: string[]) {
    const dir = tempTree({ 'README.md': '# shop\n' });
    const config = { repos: [{ repo: 'local', hooks: [{ ...hook, language: 'system', entry: hook.entry.replace(/^pyward\b/, `${process.execPath} ${join(ROOT, 'bin/pyward.js')}`), ...(args ? { args } : {}) }] }] };
    writeTree(dir, { '.pre-commit-config.yaml': stringify(config) });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'pyward-pre-commit-home-')),
      PYWARD_ADVISORY_DB: TEST_ADVISORY_DB,
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t',
    };
    const git = (...a: string[]) => spawnSync('git', a, { cwd: dir, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    const install = spawnSync('pre-commit', ['install'], { cwd: dir, env, encoding: 'utf8' });
    expect(install.status).toBe(0);
    const commit = (files: Record<string, string>) => {
      writeTree(dir, files);
      git('add', ...Object.keys(files));
      const run = git('commit', '-m', 'change');
      return { status: run.status, output: run.stdout + run.stderr, committed: git('log', '--format=%s', '-1').stdout.trim() === 'change' };
    };
    return { commit };
  }

  it('blocks a commit that stages a high finding, and lets the fixed one through', () => {
    const { commit } = repo();
    const bad = commit({ 'app/run.py': 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n', 'notes.txt': 'not scanned\n' });
    expect(bad.status).toBe(1);
    expect(bad.committed).toBe(false);
    expect(bad.output).toMatch(/pyward\.+Failed/);
    expect(bad.output).toMatch(/^app\/run\.py$/m);
    expect(bad.output).toMatch(/^ +5:26 +HIGH +B602 /m);
    expect(bad.output).not.toMatch(/notes\.txt/);
    const good = commit({ 'app/run.py': 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd)\n' });
    expect(good.output).toMatch(/pyward\.+Passed/);
    expect(good.committed).toBe(true);
  }, 60_000);

  it('honours --fail-on from the hook args, and scans staged dependency files', () => {
    const { commit } = repo(['--fail-on', 'medium']);
    const pin = commit({ 'requirements.txt': 'PyYAML==5.3\n' });
    expect(pin.committed).toBe(false);
    expect(pin.output).toMatch(/requirements\.txt/);
    expect(pin.output).toMatch(/PYSEC-|GHSA-/);
  }, 60_000);

  it('skips a commit with no Python or dependency file', () => {
    const { commit } = repo();
    const docs = commit({ 'docs/guide.md': '# guide\n' });
    expect(docs.committed).toBe(true);
    expect(docs.output).toMatch(/pyward\.+\(no files to check\)Skipped/);
  }, 60_000);
});
