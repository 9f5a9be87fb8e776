/** The git change source against real temporary repositories: statuses, patches, contents, odd paths. */
import { writeTree } from '../helpers/cli.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AddedLines } from '../../src/diff/patch.js';
import type { ChangedFile, ChangeSet } from '../../src/engine/types.js';
import { GitError, gitChangeSet, parseRawDiff, stripDiffHeader } from '../../src/cli/git-source.js';
import { parseRange, UsageError } from '../../src/cli/args.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository with one commit per entry; `null` deletes a file. Returns the directory and the commit shas. */
function repo(commits: Record<string, string | Uint8Array | null>[]): { dir: string; shas: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  const shas: string[] = [];
  for (const [i, files] of commits.entries()) {
    writeTree(dir, files);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `commit ${i}`);
    shas.push(git(dir, 'rev-parse', 'HEAD'));
  }
  return { dir, shas };
}

const text = (content: ChangedFile['head']) => (content === undefined ? undefined : Buffer.from(content as Uint8Array).toString('utf8'));
const file = (change: ChangeSet, path: string) => change.files.find((f) => f.path === path);

const BASE_APP = 'import os\n\n\ndef run(cmd):\n    return os.getcwd()\n';
const HEAD_APP = 'import os\n\n\ndef run(cmd):\n    os.system(cmd)\n    return os.getcwd()\n';
const LONG = Array.from({ length: 30 }, (_, i) => `VALUE_${i} = ${i}\n`).join('');

describe('gitChangeSet', () => {
  const { dir, shas } = repo([
    {
      'app.py': BASE_APP,
      'old_name.py': LONG,
      'gone.py': 'print("bye")\n',
      'requirements.txt': 'flask==2.0.0\n',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
      'data.py': new Uint8Array([0, 1, 2, 3]),
      'README.md': '# app\n',
    },
    {
      'app.py': HEAD_APP,
      'old_name.py': null,
      'pkg/new_name.py': LONG.replace('VALUE_29 = 29', 'VALUE_29 = eval("29")'),
      'gone.py': null,
      'requirements.txt': 'flask==2.3.3\nrequests==2.31.0\n',
      'new_module.py': 'import pickle\n\nload = pickle.loads\n',
      'data.py': new Uint8Array([0, 1, 2, 3, 4]),
      'README.md': '# app\n\nNow with more.\n',
      'dir with space/ünïcode module.py': 'exec(payload)\n',
    },
  ]);

  let change: ChangeSet;
  beforeAll(async () => {
    change = await gitChangeSet(dir, 'HEAD~1', 'HEAD');
  });

  it('resolves both revisions to full commit ids', () => {
    expect(change.baseSha).toBe(shas[0]);
    expect(change.headSha).toBe(shas[1]);
  });

  it('an added file: status, head bytes, a patch starting at its hunk that adds every line', () => {
    const f = file(change, 'new_module.py')!;
    expect(f.status).toBe('added');
    expect(text(f.head)).toBe('import pickle\n\nload = pickle.loads\n');
    expect(f.patch).toMatch(/^@@ -0,0 \+1,3 @@\n/);
    expect(f.base).toBeUndefined();
    const added = AddedLines.fromPatches([f]);
    expect([1, 2, 3].map((l) => added.has(f.path, l))).toEqual([true, true, true]);
  });

  it('a modified file: the patch is GitHub-like (no diff/index/---/+++ headers) and marks exactly the added line', () => {
    const f = file(change, 'app.py')!;
    expect(f.status).toBe('modified');
    expect(text(f.head)).toBe(HEAD_APP);
    expect(f.patch!.startsWith('@@ ')).toBe(true);
    expect(f.patch).not.toMatch(/^(diff --git|index |--- |\+\+\+ )/m);
    const added = AddedLines.fromPatches([f]);
    expect([4, 5, 6].map((l) => added.has('app.py', l))).toEqual([false, true, false]);
  });

  it('a renamed and modified file carries its previous path and only the changed line as added', () => {
    const f = file(change, 'pkg/new_name.py')!;
    expect(f.status).toBe('renamed');
    expect(f.previousPath).toBe('old_name.py');
    const added = AddedLines.fromPatches([f]);
    expect(added.has(f.path, 30)).toBe(true);
    expect(added.has(f.path, 1)).toBe(false);
    expect(file(change, 'old_name.py')).toBeUndefined();
  });

  it('a deleted file is listed as removed, without head content', () => {
    const f = file(change, 'gone.py')!;
    expect(f.status).toBe('removed');
    expect(f.head).toBeUndefined();
    expect(f.patch).toBeUndefined();
  });

  it('a dependency file carries head and base content', () => {
    const f = file(change, 'requirements.txt')!;
    expect(f.status).toBe('modified');
    expect(text(f.head)).toBe('flask==2.3.3\nrequests==2.31.0\n');
    expect(text(f.base)).toBe('flask==2.0.0\n');
  });

  it('binary and non-Python files are skipped with a reason', () => {
    expect(change.skipped).toEqual(
      expect.arrayContaining([
        { path: 'data.py', reason: 'binary file' },
        { path: 'README.md', reason: 'not Python' },
      ]),
    );
    expect(file(change, 'data.py')).toBeUndefined();
    expect(file(change, 'README.md')).toBeUndefined();
  });

  it('a path with spaces and non-ASCII characters arrives verbatim, with its content', () => {
    const f = file(change, 'dir with space/ünïcode module.py')!;
    expect(f.status).toBe('added');
    expect(text(f.head)).toBe('exec(payload)\n');
    expect(AddedLines.fromPatches([f]).has(f.path, 1)).toBe(true);
  });

  it('BASE...HEAD diffs against the merge base: changes made on the base branch since are not the change', async () => {
    const r = repo([{ 'a.py': 'x = 1\n' }]);
    git(r.dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(r.dir, 'feature.py'), 'y = 2\n');
    git(r.dir, 'add', '-A');
    git(r.dir, 'commit', '-q', '-m', 'feature');
    git(r.dir, 'checkout', '-q', 'main');
    writeFileSync(join(r.dir, 'main_only.py'), 'z = 3\n');
    git(r.dir, 'add', '-A');
    git(r.dir, 'commit', '-q', '-m', 'main moves on');
    const twoDots = await gitChangeSet(r.dir, 'main', 'feature');
    const threeDots = await gitChangeSet(r.dir, 'main', 'feature', { mergeBase: true });
    expect(twoDots.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual(['added feature.py', 'removed main_only.py']);
    expect(threeDots.files.map((f) => `${f.status} ${f.path}`)).toEqual(['added feature.py']);
    expect(threeDots.baseSha).toBe(r.shas[0]);
  });

  it('a symlink named .py is skipped, not read as source', async () => {
    const r = repo([{ 'real.txt': 'exec(x)\n' }]);
    symlinkSync('real.txt', join(r.dir, 'link.py'));
    git(r.dir, 'add', '-A');
    git(r.dir, 'commit', '-q', '-m', 'link');
    const c = await gitChangeSet(r.dir, 'HEAD~1', 'HEAD');
    expect(c.files).toEqual([]);
    expect(c.skipped).toEqual([{ path: 'link.py', reason: 'symbolic link' }]);
  });

  it.each([
    ['a bad base', 'no-such-branch', 'HEAD', /unknown revision 'no-such-branch'/],
    ['a bad head', 'HEAD', 'deadbeef', /unknown revision 'deadbeef'/],
    ['an option-like revision', '--output=/tmp/x', 'HEAD', /unknown revision '--output=\/tmp\/x'/],
  ])('%s is a GitError naming the revision', async (_name, base, head, message) => {
    await expect(gitChangeSet(dir, base, head)).rejects.toThrow(GitError);
    await expect(gitChangeSet(dir, base, head)).rejects.toThrow(message);
  });

  it('a directory that is not a repository is a GitError', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pyward-nogit-'));
    await expect(gitChangeSet(outside, 'HEAD~1', 'HEAD')).rejects.toThrow(/not inside a git repository/);
  });
});

describe('parsing git output', () => {
  it('parseRawDiff reads statuses, rename scores and second paths', () => {
    const z = [
      ':100644 100644 aaa bbb M', 'app.py',
      ':000000 100644 000 ccc A', 'new.py',
      ':100644 000000 ddd 000 D', 'gone.py',
      ':100644 100644 eee fff R087', 'old.py', 'new place.py',
      ':100644 120000 abc def T', 'link.py',
      '',
    ].join('\0');
    expect(parseRawDiff(z).map((e) => [e.status, e.path, e.previousPath])).toEqual([
      ['modified', 'app.py', undefined],
      ['added', 'new.py', undefined],
      ['removed', 'gone.py', undefined],
      ['renamed', 'new place.py', 'old.py'],
      ['changed', 'link.py', undefined],
    ]);
  });

  it.each([
    ['a modification', 'diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n@@ -1 +1,2 @@\n a\n+b\n', '@@ -1 +1,2 @@\n a\n+b'],
    ['a pure rename', 'diff --git a/x.py b/y.py\nsimilarity index 100%\nrename from x.py\nrename to y.py\n', ''],
    ['a binary change', 'diff --git a/x.py b/x.py\nindex 1..2 100644\nBinary files a/x.py and b/x.py differ\n', 'binary'],
    [
      'a type change (two sections)',
      'diff --git a/x.py b/x.py\ndeleted file mode 120000\n--- a/x.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-t\n\\ No newline at end of file\ndiff --git a/x.py b/x.py\nnew file mode 100644\n--- /dev/null\n+++ b/x.py\n@@ -0,0 +1 @@\n+a\n',
      '@@ -1 +0,0 @@\n-t\n\\ No newline at end of file\n@@ -0,0 +1 @@\n+a',
    ],
  ])('stripDiffHeader: %s', (_name, diff, expected) => {
    expect(stripDiffHeader(diff)).toBe(expected);
  });

  it.each([
    ['main..pr', { base: 'main', head: 'pr', mergeBase: false }],
    ['origin/main...HEAD', { base: 'origin/main', head: 'HEAD', mergeBase: true }],
    ['main..', { base: 'main', head: 'HEAD', mergeBase: false }],
    ['HEAD~3..HEAD', { base: 'HEAD~3', head: 'HEAD', mergeBase: false }],
  ])('parseRange(%s)', (spec, expected) => {
    expect(parseRange(spec)).toEqual(expected);
  });

  it.each(['main', '..', 'a..b..c'])('parseRange(%s) is a usage error', (spec) => {
    expect(() => parseRange(spec)).toThrow(UsageError);
  });
});
