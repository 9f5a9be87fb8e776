/** Temporary git repositories with a `main` commit and a `pr` branch commit, for `pyward scan --diff` tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeTree } from './cli.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV }).toString();
}

/** `base` committed on `main`, then `pr` (null deletes a file) on branch `pr`; `prep` runs before each commit (symlinks). */
export function gitRepo(base: Record<string, string | Uint8Array>, pr: Record<string, string | Uint8Array | null>, prep?: { base?: (dir: string) => void; pr?: (dir: string) => void }): string {
  const dir = mkdtempSync(`${tmpdir()}/pyward-diff-`);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'core.autocrlf', 'false');
  writeTree(dir, base);
  prep?.base?.(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'pr');
  writeTree(dir, pr);
  prep?.pr?.(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'pr');
  return dir;
}
