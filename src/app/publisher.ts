/**
 * Everything pyward writes to GitHub: the `pyward` check run (one per head commit, completed on every
 * path, annotations in batches of 50) and one review per push with the new inline comments.
 */
import type { ProbotOctokit } from 'probot';
import { annotationBatches, type CheckRunOutput } from '../report/check-run.js';
import { parseFingerprints } from '../report/fingerprint-marker.js';
import { CHECK_RUN_NAME, MAX_CHECK_RUN_TITLE } from '../report/github-limits.js';
import type { ReviewComment } from '../report/review-comments.js';
import { CRITICAL } from './github-faults.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * The check run to report on: the existing `pyward` run on this commit when `reuse` (a redelivered or
 * repeated event must not add a second run), else a new one. Either way it is set in progress.
 */
export async function startCheckRun(octokit: ProbotOctokit, at: RepoRef, headSha: string, reuse: boolean, detailsUrl?: string): Promise<number> {
  const started_at = new Date().toISOString();
  if (reuse) {
    const existing = (await existingRuns(octokit, at, headSha, 10)).find((r) => r.name === CHECK_RUN_NAME);
    if (existing) {
      try {
        await octokit.rest.checks.update({ ...at, check_run_id: existing.id, status: 'in_progress', started_at });
        return existing.id;
      } catch (err) {
        if ((err as { status?: number }).status !== 403) throw err; // another app's run of the same name: make our own
      }
    }
  }
  const { data } = await octokit.rest.checks.create({
    ...at,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: 'in_progress',
    started_at,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: { title: 'Scanning…', summary: 'pyward is reviewing the Python files and dependency pins this pull request changes.' },
  });
  return data.id;
}

/** A check run's final state: a review's output, or `action_required` for a review a restart interrupted. */
export type FinalOutput = Omit<CheckRunOutput, 'conclusion'> & { conclusion: CheckRunOutput['conclusion'] | 'action_required' };

/** A button on the completed run (`check_run.requested_action`); GitHub caps label and identifier at 20 characters. */
export interface CheckRunAction {
  label: string;
  identifier: string;
  description: string;
}

/** The "Re-run" button of a review a restart interrupted. */
export const RERUN_ACTION: CheckRunAction = { label: 'Re-run', identifier: 'pyward-rerun', description: 'Review this commit again' };

/**
 * Completes the run. Annotations go 50 per update (GitHub appends them); all but the last batch are sent
 * while the run is still in progress, so whoever reacts to `completed` sees every annotation. Every update
 * is critical: retried through rate limits and outages for longer than any other request.
 */
export async function completeCheckRun(octokit: ProbotOctokit, at: RepoRef, checkRunId: number, output: FinalOutput, actions: CheckRunAction[] = []): Promise<void> {
  const title = output.title.slice(0, MAX_CHECK_RUN_TITLE);
  const batches = annotationBatches(output.annotations);
  for (const batch of batches.slice(0, -1)) {
    await octokit.rest.checks.update({ ...at, check_run_id: checkRunId, output: { title, summary: output.summary, annotations: batch }, request: CRITICAL });
  }
  const last = batches[batches.length - 1];
  await octokit.rest.checks.update({
    ...at,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: new Date().toISOString(),
    output: { title, summary: output.summary, ...(last ? { annotations: last } : {}) },
    ...(actions.length ? { actions } : {}),
    request: CRITICAL,
  });
}

/** True when a `pyward` run already exists on the commit (then a plain `check_suite.requested` is a duplicate). */
export async function hasCheckRun(octokit: ProbotOctokit, at: RepoRef, headSha: string): Promise<boolean> {
  return (await existingRuns(octokit, at, headSha, 1)).some((r) => r.name === CHECK_RUN_NAME);
}

/** pyward's runs on a commit; none when the server cannot list them (a new run is then made, never none). */
async function existingRuns(octokit: ProbotOctokit, at: RepoRef, headSha: string, perPage: number): Promise<{ id: number; name: string }[]> {
  try {
    const { data } = await octokit.rest.checks.listForRef({ ...at, ref: headSha, check_name: CHECK_RUN_NAME, filter: 'latest', per_page: perPage });
    return data.check_runs;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === undefined || status >= 500 || status === 401) throw err;
    return [];
  }
}

/** Who pyward is on GitHub: its app id and slug (its comments are by the bot user `<slug>[bot]`). */
export interface AppIdentity {
  id: number;
  slug: string;
}

interface CommentAuthor {
  user?: { login?: string; type?: string } | null;
  performed_via_github_app?: { id?: number } | null;
}

/**
 * True for a comment pyward itself wrote: through the app (`performed_via_github_app`) or by its bot user.
 * Anyone can write a fingerprint marker (the value is a computable hash) in their own comment; only these count.
 */
export function isOwnComment(comment: CommentAuthor, me: AppIdentity): boolean {
  if (comment.performed_via_github_app?.id !== undefined) return comment.performed_via_github_app.id === me.id;
  return comment.user?.type === 'Bot' && comment.user.login === `${me.slug}[bot]`;
}

/** pyward's earlier review comments on a pull request: the fingerprints they mark, and their ids. */
export interface OwnComments {
  /** fingerprint -> path ('' when the server omits it: still deduped, never treated as fixed). */
  fingerprints: Map<string, string>;
  /** The ids of those comments: only threads they start may be resolved. */
  ids: Set<number>;
}

/** Fingerprints of the findings pyward already commented on this pull request (from its own hidden markers). */
export async function commentedFingerprints(octokit: ProbotOctokit, at: RepoRef, pullNumber: number, me: AppIdentity): Promise<OwnComments> {
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...at, pull_number: pullNumber, per_page: 100 });
  const out: OwnComments = { fingerprints: new Map(), ids: new Set() };
  for (const c of comments) {
    if (!isOwnComment(c as CommentAuthor, me)) continue;
    const fps = parseFingerprints(c.body ?? '');
    if (fps.length && typeof c.id === 'number') out.ids.add(c.id);
    for (const fp of fps) out.fingerprints.set(fp, typeof c.path === 'string' ? c.path : '');
  }
  return out;
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        nodes { id isResolved comments(first: 1) { nodes { databaseId body } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface ThreadsAnswer {
  repository: { pullRequest: { reviewThreads: { nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId?: number | null; body: string }[] } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null };
}

/**
 * Marks as resolved the review threads pyward opened for findings that are gone. REST has no thread
 * state, so this is GraphQL (`reviewThreads`, `resolveReviewThread`). A thread counts only when its first
 * comment is one of pyward's own (`ownIds`, checked by author in commentedFingerprints), so nobody's thread
 * is resolved by a marker they wrote. Returns how many were resolved.
 */
export async function resolveFixedThreads(octokit: ProbotOctokit, at: RepoRef, pullNumber: number, fixed: ReadonlySet<string>, ownIds: ReadonlySet<number>): Promise<number> {
  if (!fixed.size) return 0;
  const open: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const answer: ThreadsAnswer = await octokit.graphql<ThreadsAnswer>(THREADS_QUERY, { owner: at.owner, repo: at.repo, number: pullNumber, cursor });
    const threads = answer.repository.pullRequest?.reviewThreads;
    if (!threads) break;
    for (const t of threads.nodes) {
      const first = t.comments.nodes[0];
      if (t.isResolved || !first || typeof first.databaseId !== 'number' || !ownIds.has(first.databaseId)) continue;
      const fps = parseFingerprints(first.body ?? '');
      if (fps.some((fp) => fixed.has(fp))) open.push(t.id);
    }
    if (!threads.pageInfo.hasNextPage) break;
    cursor = threads.pageInfo.endCursor;
  }
  for (const threadId of open) {
    await octokit.graphql('mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id } } }', { threadId });
  }
  return open.length;
}

export interface PostedReview {
  posted: ReviewComment[];
  /** Comments GitHub refused to anchor (422); their findings stay in the check-run summary. */
  rejected: ReviewComment[];
}

/** Attempts at creating one review after server errors (each after re-reading what is on the PR). */
const MAX_REVIEW_ATTEMPTS = 4;

/** Tells the fault handling not to repeat a request after a 5xx (it may have been applied). */
const NOT_IDEMPOTENT = { pywardNotIdempotent: true } as const;

const toApi = ({ fingerprint: _fp, ...comment }: ReviewComment) => comment;

function isUnprocessable(err: unknown): boolean {
  return (err as { status?: number }).status === 422;
}

/**
 * Posts one review. GitHub rejects a whole review (422) when one comment's anchor is off the diff and does
 * not say which; then each comment is tried alone in a pending review (deleted at once, so nobody is
 * notified) and the review is posted with the ones that anchor.
 */
export async function postReview(
  octokit: ProbotOctokit,
  at: RepoRef,
  pr: { number: number; headSha: string },
  review: { body: string; event: 'COMMENT' | 'REQUEST_CHANGES'; comments: ReviewComment[] },
  /** Fingerprints already on the PR: asked after a server error, which may come after GitHub created the review. */
  alreadyPosted?: () => Promise<ReadonlySet<string>>,
): Promise<PostedReview> {
  const create = (comments: ReviewComment[], event?: 'COMMENT' | 'REQUEST_CHANGES') =>
    octokit.rest.pulls.createReview({
      ...at,
      pull_number: pr.number,
      commit_id: pr.headSha,
      body: review.body,
      ...(event ? { event } : {}),
      comments: comments.map(toApi),
      request: NOT_IDEMPOTENT,
    });
  let pending = review.comments;
  for (let attempt = 1; ; attempt++) {
    try {
      await create(pending, review.event);
      return { posted: review.comments, rejected: [] };
    } catch (err) {
      const status = (err as { status?: number }).status ?? 0;
      if (status >= 500 && alreadyPosted && attempt < MAX_REVIEW_ATTEMPTS) {
        // A 5xx on a POST does not say whether the review was made: post only what is not there yet.
        const there = await alreadyPosted();
        pending = review.comments.filter((c) => !there.has(c.fingerprint));
        if (!pending.length) return { posted: review.comments, rejected: [] };
        continue;
      }
      if (!isUnprocessable(err) || review.comments.length === 0) throw err;
      break;
    }
  }
  const posted: ReviewComment[] = [];
  const rejected: ReviewComment[] = [];
  for (const comment of review.comments) {
    try {
      const { data } = await create([comment]); // no event: a pending review, visible to nobody
      posted.push(comment);
      await octokit.rest.pulls.deletePendingReview({ ...at, pull_number: pr.number, review_id: data.id });
    } catch (err) {
      if (!isUnprocessable(err)) throw err;
      rejected.push(comment);
    }
  }
  if (posted.length) await create(posted, review.event);
  return { posted, rejected };
}
