/**
 * A pull request's change set from GitHub: `pulls.listFiles` (paginated, at most 3,000 files), then the
 * head content of each Python file by blob sha, which works for forks and for files over 1 MB.
 */
import type { ProbotOctokit } from 'probot';
import { mapLimit } from '../engine/map-limit.js';
import type { BlobCache } from './blob-cache.js';
import { isDependencyFile } from '../dependencies/dependency-files.js';
import { isConfigFile } from '../engine/scan-config-files.js';
import { isPythonPath } from '../engine/scan-change.js';
import type { IncludeBlob, IncludeReader } from '../engine/read-includes.js';
import type { ChangedFile, ChangeSet } from '../engine/types.js';
import { MAX_LISTED_PR_FILES, PR_FILES_PER_PAGE } from '../report/github-limits.js';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
}

/** Blobs fetched at once: enough to hide latency, few enough to stay clear of secondary rate limits. */
const BLOB_CONCURRENCY = 6;

/** A file's content at `pr.baseSha`; undefined when it did not exist there. */
async function baseContent(octokit: ProbotOctokit, pr: PullRequestRef, path: string): Promise<Uint8Array | undefined> {
  try {
    const res = await octokit.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path, ref: pr.baseSha });
    const data = res.data as { type?: string; content?: string; encoding?: string; sha?: string };
    if (Array.isArray(res.data) || data.type !== 'file') return undefined;
    // Files over 1 MB come without content: read them by blob sha.
    if (!data.content && data.sha) {
      const blob = await octokit.rest.git.getBlob({ owner: pr.owner, repo: pr.repo, file_sha: data.sha });
      return new Uint8Array(Buffer.from(blob.data.content, 'base64'));
    }
    return new Uint8Array(Buffer.from(data.content ?? '', data.encoding === 'base64' ? 'base64' : 'utf8'));
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/**
 * `isIgnored`: paths the config excludes; they are listed as skipped and never downloaded. `cache`: contents
 * already read by an earlier review (keyed by repository and blob sha, or base commit sha and path).
 */
export async function pullRequestChange(octokit: ProbotOctokit, pr: PullRequestRef, isIgnored?: (path: string) => boolean, cache?: BlobCache): Promise<ChangeSet> {
  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: PR_FILES_PER_PAGE,
  });
  const skipped: ChangeSet['skipped'] = [];
  const wanted: { file: ChangedFile; sha: string; dependency: boolean }[] = [];
  for (const f of listed) {
    const dependency = isDependencyFile(f.filename);
    if (!isPythonPath(f.filename) && !dependency && !isConfigFile(f.filename)) {
      skipped.push({ path: f.filename, reason: 'not Python' });
      continue;
    }
    if (f.status === 'removed') continue;
    if (isIgnored?.(f.filename)) {
      skipped.push({ path: f.filename, reason: 'ignored by paths.ignore' });
      continue;
    }
    const file: ChangedFile = {
      path: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      // GitHub omits `patch` for large diffs: the whole file then counts as changed.
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
    };
    if (!f.sha) {
      skipped.push({ path: f.filename, reason: 'no blob (submodule or symlink)' });
      continue;
    }
    wanted.push({ file, sha: f.sha, dependency });
  }
  const blobBytes = async (sha: string, path: string) => {
    try {
      const blob = await octokit.rest.git.getBlob({ owner: pr.owner, repo: pr.repo, file_sha: sha });
      return new Uint8Array(blob.data.encoding === 'base64' ? Buffer.from(blob.data.content, 'base64') : Buffer.from(blob.data.content, 'utf8'));
    } catch (err) {
      // GitHub-compatible servers without the Git data API still serve contents at the head commit.
      const status = (err as { status?: number }).status;
      if (status !== 404 && status !== 501) throw err;
      const head = await baseContent(octokit, { ...pr, baseSha: pr.headSha }, path);
      if (!head) throw err;
      return head;
    }
  };
  const repoKey = `${pr.owner}/${pr.repo}`;
  const cached = (key: string, load: () => Promise<Uint8Array | null>) => (cache ? cache.through(key, load) : load());
  const files = await mapLimit(wanted, BLOB_CONCURRENCY, async ({ file, sha, dependency }) => {
    const head = (await cached(`${repoKey}@blob:${sha}`, () => blobBytes(sha, file.path)))!;
    // Dependency pins are diffed against the base: a pin the PR did not touch is not its finding.
    const basePath = file.previousPath ?? file.path;
    const base =
      dependency && file.status !== 'added' ? ((await cached(`${repoKey}@${pr.baseSha}:${basePath}`, async () => (await baseContent(octokit, pr, basePath)) ?? null)) ?? undefined) : undefined;
    return { ...file, head, ...(base ? { base } : {}) };
  });
  return {
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    files,
    skipped,
    ...(listed.length >= MAX_LISTED_PR_FILES
      ? { truncated: `GitHub lists at most ${MAX_LISTED_PR_FILES} files of a pull request; files beyond that were not checked` }
      : {}),
  };
}

/**
 * Included requirements files at the head commit: the contents API, as for base files (a file over 1 MB by
 * its blob sha), cached by head commit and path. A symbolic link is refused: GitHub answers `symlink`, or
 * serves the target's content under the target's path, which is then not the path asked.
 */
export function includeReader(octokit: ProbotOctokit, pr: PullRequestRef, cache?: BlobCache): IncludeReader {
  const repoKey = `${pr.owner}/${pr.repo}`;
  const one = async (path: string): Promise<IncludeBlob | undefined> => {
    const key = `${repoKey}@${pr.headSha}:${path}`;
    const known = cache?.get(key);
    if (known) return { head: known };
    let data: { type?: string; path?: string; content?: string; encoding?: string; sha?: string } | unknown[];
    try {
      data = (await octokit.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path, ref: pr.headSha })).data as typeof data;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
    if (Array.isArray(data)) return { unusable: 'a folder, not a file' };
    if (data.type === 'symlink' || (data.path !== undefined && data.path !== path)) return { unusable: 'a symbolic link (never followed)' };
    if (data.type !== 'file') return { unusable: 'not a regular file' };
    let bytes: Uint8Array;
    if (!data.content && data.sha) {
      const sha = data.sha;
      const load = async () => {
        const blob = await octokit.rest.git.getBlob({ owner: pr.owner, repo: pr.repo, file_sha: sha });
        return new Uint8Array(Buffer.from(blob.data.content, 'base64'));
      };
      bytes = (await (cache ? cache.through(`${repoKey}@blob:${sha}`, load) : load()))!;
    } else bytes = new Uint8Array(Buffer.from(data.content ?? '', data.encoding === 'base64' ? 'base64' : 'utf8'));
    cache?.set(key, bytes);
    return { head: bytes };
  };
  return async (paths) => {
    const found = new Map<string, IncludeBlob>();
    for (const path of paths) {
      const blob = await one(path);
      if (blob) found.set(path, blob);
    }
    return found;
  };
}
