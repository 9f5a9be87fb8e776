/**
 * A git range's change set, for `pyward scan --diff BASE..HEAD`: the CLI's counterpart of the GitHub change
 * source. The only module that runs git; always `git` with an argument array, never a shell, so paths and
 * revisions are never interpreted.
 */
import { spawn } from 'node:child_process';
import { mapLimit } from '../engine/map-limit.js';
import { isDependencyFile } from '../dependencies/dependency-files.js';
import { isConfigFile } from '../engine/scan-config-files.js';
import { isPythonPath } from '../engine/scan-change.js';
import type { ContextBlob, ContextReader } from '../engine/read-context.js';
import { TEST_CONFIG_FILES } from '../engine/project-facts.js';
import type { IncludeBlob, IncludeReader } from '../engine/read-includes.js';
import type { ChangedFile, ChangeSet } from '../engine/types.js';

/** git failed, or a revision does not name a commit: a user error (exit 2), not a bug. */
export class GitError extends Error {}

/** Whole files are read into memory; the engine skips anything over `max_file_size` with a note anyway. */
const MAX_OUTPUT = 512 * 1024 * 1024;
/** git processes running at once while taking per-file patches. */
const CONCURRENCY = 8;
const NULL_SHA = /^0+$/;

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function git(repoDir: string, args: string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // --literal-pathspecs: a path with `*` or `[` is a path, not a glob. No pager, no prompts, no locks taken.
    const child = spawn('git', ['--literal-pathspecs', '--no-pager', ...args], {
      cwd: repoDir,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) {
        child.kill();
        reject(new GitError(`git ${args[0]}: output larger than ${MAX_OUTPUT / 1048576} MiB`));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new GitError(err.code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${err.message}`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: stderr.trim() }));
    child.stdin.on('error', () => {}); // git may exit before reading all of it; `close` reports the outcome
    child.stdin.end(input);
  });
}

async function gitOk(repoDir: string, args: string[], input?: string): Promise<Buffer> {
  const result = await git(repoDir, args, input);
  if (result.code !== 0) throw new GitError(`git ${args.join(' ')} failed: ${result.stderr || `exit code ${result.code}`}`);
  return result.stdout;
}

/** The commit a revision names, or a GitError naming the revision. */
export async function resolveCommit(repoDir: string, rev: string): Promise<string> {
  const inside = await git(repoDir, ['rev-parse', '--git-dir']);
  if (inside.code !== 0) throw new GitError(`${repoDir} is not inside a git repository`);
  // `--end-of-options` keeps a revision such as `--output=x` from being read as an option.
  const result = await git(repoDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  const sha = result.stdout.toString().trim();
  if (result.code !== 0 || !sha) throw new GitError(`unknown revision '${rev}': it does not name a commit in ${repoDir}`);
  return sha;
}

/** The best common ancestor of two commits (what `BASE...HEAD` diffs against). */
export async function mergeBase(repoDir: string, a: string, b: string): Promise<string> {
  const result = await git(repoDir, ['merge-base', a, b]);
  const sha = result.stdout.toString().trim();
  if (result.code !== 0 || !sha) throw new GitError(`'${a}' and '${b}' have no common ancestor`);
  return sha;
}

interface RawEntry {
  status: ChangedFile['status'];
  path: string;
  previousPath?: string;
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
}

const STATUS: Record<string, ChangedFile['status']> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', C: 'copied', T: 'changed' };

/**
 * `git diff --raw -z` (name-status plus modes and blob ids): `:old new oldsha newsha STATUS\0path\0`, with a
 * second path for renames and copies (`R087\0old\0new\0`).
 */
export function parseRawDiff(out: string): RawEntry[] {
  const parts = out.split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i < parts.length; ) {
    const meta = parts[i++];
    if (!meta) continue;
    const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(meta);
    if (!m) throw new GitError(`unexpected git diff --raw output: ${JSON.stringify(meta)}`);
    const [, oldMode, newMode, oldBlob, newBlob, letter] = m;
    const status = STATUS[letter];
    if (letter === 'R' || letter === 'C') {
      const previousPath = parts[i++];
      const path = parts[i++];
      entries.push({ status, path, previousPath, oldMode, newMode, oldBlob, newBlob });
    } else {
      const path = parts[i++];
      entries.push({ status: status ?? 'changed', path, oldMode, newMode, oldBlob, newBlob });
    }
  }
  return entries;
}

/**
 * A `git diff` of one file -> its hunks only, starting at the first `@@` (GitHub's `patch` field), or
 * `binary`. A type change (symlink -> file) comes as two sections, deletion then addition: the second
 * section's header is dropped too, or its `+++ b/path` line would count as an added line.
 */
export function stripDiffHeader(diff: string): string | 'binary' {
  const kept: string[] = [];
  let inHeader = true;
  for (const line of diff.split('\n')) {
    // Inside a hunk every line starts with ' ', '+', '-' or '\\', so `diff --git` can only be a header.
    if (line.startsWith('diff --git ')) inHeader = true;
    else if (line.startsWith('@@')) inHeader = false;
    if (!inHeader) kept.push(line);
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') return 'binary';
  }
  // No hunk at all: a pure rename, a mode change, an empty new file: nothing was added.
  return kept.join('\n').replace(/\n$/, '');
}

/** Blob contents by id through one `git cat-file --batch`: bytes exactly as committed, no filters. */
async function readBlobs(repoDir: string, ids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(ids)];
  const blobs = new Map<string, Buffer>();
  if (!unique.length) return blobs;
  const out = await gitOk(repoDir, ['cat-file', '--batch'], `${unique.join('\n')}\n`);
  let pos = 0;
  for (const id of unique) {
    const eol = out.indexOf(0x0a, pos);
    const header = out.subarray(pos, eol).toString();
    const m = /^([0-9a-f]+) blob (\d+)$/.exec(header);
    if (!m) throw new GitError(`cannot read blob ${id}: ${header}`);
    const size = Number(m[2]);
    blobs.set(id, out.subarray(eol + 1, eol + 1 + size));
    pos = eol + 1 + size + 1; // content, then a newline
  }
  return blobs;
}

const SYMLINK = '120000';
const SUBMODULE = '160000';

/** The commits a range compares: HEAD, and BASE or (for `BASE...HEAD`) their merge base. */
export async function resolveRange(repoDir: string, base: string, head: string, options: GitChangeOptions = {}): Promise<{ baseSha: string; headSha: string }> {
  const headSha = await resolveCommit(repoDir, head);
  let baseSha = await resolveCommit(repoDir, base);
  if (options.mergeBase) baseSha = await mergeBase(repoDir, baseSha, headSha);
  return { baseSha, headSha };
}

/** One path in a commit's tree: a regular file's bytes, a symbolic link (never followed), or something else. */
export type TreeEntry = { kind: 'file'; id: string; bytes: Buffer } | { kind: 'symlink' | 'other'; id: string } | undefined;

/** `path` (from the repository root) at commit `sha`, read from git's objects: never the work tree, never through a link. */
export async function readTreeEntry(repoDir: string, sha: string, path: string): Promise<TreeEntry> {
  const out = (await gitOk(repoDir, ['ls-tree', '-z', '--full-tree', sha, '--', path])).toString('utf8');
  const m = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(out);
  if (!m) return undefined;
  const [, mode, type, id] = m;
  if (mode === SYMLINK) return { kind: 'symlink', id };
  if (type !== 'blob') return { kind: 'other', id };
  return { kind: 'file', id, bytes: (await readBlobs(repoDir, [id])).get(id)! };
}

export interface GitChangeOptions {
  /** Diff against the merge base of the two revisions (`BASE...HEAD`) instead of BASE itself. */
  mergeBase?: boolean;
}

export async function gitChangeSet(repoDir: string, base: string, head: string, options: GitChangeOptions = {}): Promise<ChangeSet> {
  const { baseSha, headSha } = await resolveRange(repoDir, base, head, options);

  const listing = await gitOk(repoDir, ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', baseSha, headSha]);
  const skipped: ChangeSet['skipped'] = [];
  const wanted: RawEntry[] = [];
  for (const entry of parseRawDiff(listing.toString('utf8'))) {
    const { path } = entry;
    if (!isPythonPath(path) && !isDependencyFile(path) && !isConfigFile(path)) {
      skipped.push({ path, reason: 'not Python' });
      continue;
    }
    if (entry.status === 'removed') {
      wanted.push(entry);
      continue;
    }
    if (entry.newMode === SYMLINK) skipped.push({ path, reason: 'symbolic link' });
    else if (entry.newMode === SUBMODULE) skipped.push({ path, reason: 'submodule' });
    else wanted.push(entry);
  }

  const patched = await mapLimit(wanted, CONCURRENCY, async (entry) => {
    if (entry.status === 'removed') return { entry, patch: undefined };
    const paths = entry.previousPath ? [entry.previousPath, entry.path] : [entry.path];
    // --no-textconv / --no-ext-diff: the diff of the committed bytes, whatever the user's attributes say.
    const diff = await gitOk(repoDir, ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', baseSha, headSha, '--', ...paths]);
    return { entry, patch: stripDiffHeader(diff.toString('utf8')) };
  });

  const kept = patched.filter(({ entry, patch }) => {
    if (patch !== 'binary') return true;
    skipped.push({ path: entry.path, reason: 'binary file' });
    return false;
  });
  const blobs = await readBlobs(repoDir, [
    ...kept.filter(({ entry }) => entry.status !== 'removed').map(({ entry }) => entry.newBlob),
    ...kept.filter(({ entry }) => isDependencyFile(entry.path) && !NULL_SHA.test(entry.oldBlob)).map(({ entry }) => entry.oldBlob),
  ]);

  const files: ChangedFile[] = kept.map(({ entry, patch }) => {
    const file: ChangedFile =
      entry.status === 'removed'
        ? { path: entry.path, status: 'removed' }
        : {
            path: entry.path,
            status: entry.status,
            ...(entry.previousPath ? { previousPath: entry.previousPath } : {}),
            patch: patch as string,
            head: new Uint8Array(blobs.get(entry.newBlob)!),
          };
    // Dependency files keep their base content, removed ones included: their pins are diffed.
    if (isDependencyFile(entry.path) && !NULL_SHA.test(entry.oldBlob)) file.base = new Uint8Array(blobs.get(entry.oldBlob)!);
    return file;
  });
  return { baseSha, headSha, files, skipped };
}

/**
 * The Python files of the tree at `sha` (regular files only: no symlinks, no submodules), and a reader of
 * their committed bytes by path, for the imported modules data flow follows (`ChangeSet.context`).
 * `git ls-tree -r -l -z`: `<mode> <type> <id> <size>\t<path>\0`.
 */
export async function gitTreeReader(repoDir: string, sha: string): Promise<{ known: Set<string>; read: ContextReader; list: (dirs: string[]) => Promise<Map<string, string[]>> }> {
  const out = await gitOk(repoDir, ['ls-tree', '-r', '-l', '-z', '--full-tree', sha]);
  const entries = new Map<string, { id: string; size: number }>();
  const names = new Map<string, string[]>();
  for (const line of out.toString('utf8').split('\0')) {
    const m = /^(100644|100755) blob ([0-9a-f]+) +(\d+)\t(.+)$/s.exec(line);
    if (!m) continue;
    const path = m[4];
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash + 1);
    // Python modules (imported modules, settings modules) and pytest's configuration (settings pointers).
    if (isPythonPath(path) || TEST_CONFIG_FILES.has(path.slice(slash + 1))) entries.set(path, { id: m[2], size: Number(m[3]) });
    if (isPythonPath(path)) names.set(dir, [...(names.get(dir) ?? []), path.slice(slash + 1)]);
  }
  const read: ContextReader = async (paths) => {
    const wanted = paths.flatMap((path) => (entries.has(path) ? [{ path, ...entries.get(path)! }] : []));
    const blobs = await readBlobs(repoDir, wanted.map((w) => w.id));
    return new Map<string, ContextBlob>(wanted.map((w) => [w.path, { head: new Uint8Array(blobs.get(w.id)!), size: w.size }]));
  };
  const list = async (dirs: string[]) => new Map(dirs.map((d) => [d, names.get(d) ?? []]));
  return { known: new Set(entries.keys()), read, list };
}

/** Included requirements files at `sha`, from git's objects: a symbolic link or a folder is refused, never followed. */
export function gitIncludeReader(repoDir: string, sha: string): IncludeReader {
  return async (paths) => {
    const found = new Map<string, IncludeBlob>();
    for (const path of paths) {
      const entry = await readTreeEntry(repoDir, sha, path);
      if (!entry) continue;
      if (entry.kind === 'file') found.set(path, { head: new Uint8Array(entry.bytes) });
      else found.set(path, { unusable: entry.kind === 'symlink' ? 'a symbolic link (never followed)' : 'not a regular file' });
    }
    return found;
  };
}
