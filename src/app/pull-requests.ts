/** Which open pull request a head commit belongs to. Check events of fork PRs carry an empty list. */
import type { ProbotOctokit } from 'probot';
import type { RepoRef } from './publisher.js';

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  draft: boolean;
  state: string;
}

interface PullLike {
  number: number;
  state?: string;
  draft?: boolean;
  base: { sha: string };
  head: { sha: string };
}

export function toInfo(pr: PullLike): PullRequestInfo {
  return { number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha, draft: pr.draft ?? false, state: pr.state ?? 'open' };
}

/**
 * Open pull requests whose head is `sha`: the numbers an event lists (re-read, as check events carry no
 * draft flag or state), else GitHub's commit -> pulls association, else a scan of the open pull requests
 * (the only way for some fork PRs).
 */
export async function pullRequestsForCommit(octokit: ProbotOctokit, at: RepoRef, sha: string, listed: number[]): Promise<PullRequestInfo[]> {
  if (listed.length) {
    const prs = await Promise.all(listed.map((n) => octokit.rest.pulls.get({ ...at, pull_number: n })));
    return prs.map((r) => toInfo(r.data as PullLike)).filter((p) => p.state === 'open' && p.headSha === sha);
  }
  try {
    const associated = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...at, commit_sha: sha });
    const open = (associated.data as PullLike[]).filter((p) => p.state === 'open' && p.head.sha === sha);
    if (open.length) return open.map(toInfo);
  } catch (err) {
    // Some GitHub-compatible servers lack this endpoint; the scan of open pull requests below still answers.
    const status = (err as { status?: number }).status;
    if (status !== 404 && status !== 422 && status !== 501) throw err;
  }
  const all = (await octokit.paginate(octokit.rest.pulls.list, { ...at, state: 'open', per_page: 100 })) as PullLike[];
  return all.filter((p) => p.head.sha === sha).map(toInfo);
}
