/**
 * Webhook events -> review jobs. Handlers guard (closed PRs, other apps' check runs), start the check run
 * at once, and queue the scan; a job already queued or running for the same PR and commit absorbs repeats
 * (redeliveries, the check_suite event GitHub sends next to pull_request.synchronize).
 */
import type { Context, Probot } from 'probot';
import { CHECK_RUN_NAME } from '../report/github-limits.js';
import { PrimaryRateLimitError } from './github-faults.js';
import { hasCheckRun, RERUN_ACTION, startCheckRun } from './publisher.js';
import { pullRequestsForCommit, toInfo, type PullRequestInfo } from './pull-requests.js';
import { reviewJobId, type ReviewJobData, type ReviewQueue } from './queue.js';

interface RepositoryPayload {
  name: string;
  owner: { login: string };
  default_branch: string;
  html_url: string;
}

export interface HandlerDeps {
  queue: ReviewQueue;
  /** Adds pyward's GitHub fault handling to an event's client (retries, rate-limit pauses). */
  guard: (octokit: Context['octokit'], installationId: number) => void;
}

/** How long a claim on a commit's review holds off other instances' deliveries of the same head. */
export const CLAIM_MS = 10 * 60_000;

export const PULL_REQUEST_ACTIONS = ['opened', 'reopened', 'synchronize', 'ready_for_review'] as const;

/** Thrown while shutting down: the delivery fails (HTTP 500), so GitHub shows it and it can be redelivered. */
export class DrainingError extends Error {
  override name = 'DrainingError';
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const guarded = new WeakSet<object>();
  // Ids whose check run is being started: a delivery arriving twice at once makes one run.
  const starting = new Set<string>();
  const installationOf = (context: Context) => (context.payload as { installation?: { id?: number } }).installation?.id;
  /** Every request of an event goes through the fault handling, once per client. */
  const guard = (context: Context) => {
    const installationId = installationOf(context);
    if (typeof installationId !== 'number' || guarded.has(context.octokit)) return;
    deps.guard(context.octokit, installationId);
    guarded.add(context.octokit);
  };

  /**
   * `deduplicate`: a webhook GitHub sends on its own (pushes, suites): with a shared queue, the first instance
   * that claims the commit starts its review and the others drop their delivery, for {@link CLAIM_MS} (a
   * redelivery of the same head after the review would otherwise review it again on another instance).
   * An explicit re-run is never deduplicated.
   */
  const enqueue = async (context: Context, repository: RepositoryPayload, pr: PullRequestInfo, reuseCheckRun: boolean, deduplicate = reuseCheckRun) => {
    if (deps.queue.draining) throw new DrainingError('pyward is shutting down and takes no new reviews; redeliver the webhook');
    const installationId = installationOf(context);
    if (typeof installationId !== 'number') throw new Error('the webhook names no installation');
    guard(context);
    const at = { owner: repository.owner.login, repo: repository.name };
    const data: ReviewJobData = {
      installationId,
      // Some GitHub-compatible servers leave these out of the payload: the API still knows the default branch.
      repo: { ...at, defaultBranch: repository.default_branch ?? '', htmlUrl: repository.html_url ?? `https://github.com/${at.owner}/${at.repo}` },
      pr,
    };
    const id = reviewJobId(data);
    if (starting.has(id)) return context.log.info({ key: id }, 'a review of this commit is being started');
    starting.add(id);
    let claimed = false;
    let queued = false;
    try {
      if (await deps.queue.has(id)) return context.log.info({ key: id }, 'a review of this commit is already queued or running');
      if (deduplicate && deps.queue.claim) {
        if (!(await deps.queue.claim(id, CLAIM_MS))) return context.log.info({ key: id }, 'another instance is reviewing this commit, or did moments ago');
        claimed = true;
      }
      try {
        data.checkRunId = await startCheckRun(context.octokit, at, pr.headSha, reuseCheckRun);
      } catch (err) {
        // The installation's quota is spent: the job starts its run itself once the pause is over.
        if (!(err instanceof PrimaryRateLimitError)) throw err;
      }
      const result = await deps.queue.enqueue(data);
      if (result === 'refused') throw new DrainingError('pyward is shutting down and takes no new reviews; redeliver the webhook');
      queued = true;
    } finally {
      starting.delete(id);
      // The start failed before the job was queued: a redelivery may try again at once.
      if (claimed && !queued) await deps.queue.unclaim?.(id);
    }
  };

  app.on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (pr.state !== 'open') return;
      // A draft marked ready, or a reopened PR, is reviewed again even if its head was reviewed moments ago.
      await enqueue(context, repository, toInfo(pr), true, context.payload.action === 'opened' || context.payload.action === 'synchronize');
    },
  );

  const fromCommit = async (context: Context, repository: RepositoryPayload, sha: string, listed: { number: number }[], reuse: boolean, deduplicate = reuse) => {
    guard(context);
    const prs = await pullRequestsForCommit(context.octokit, { owner: repository.owner.login, repo: repository.name }, sha, listed.map((p) => p.number));
    if (!prs.length) {
      context.log.info({ sha }, 'no open pull request has this commit as its head; nothing to review');
      return;
    }
    for (const pr of prs) await enqueue(context, repository, pr, reuse, deduplicate);
  };

  app.on('check_run.rerequested', async (context) => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== CHECK_RUN_NAME) return;
    // "Re-run" asks for a fresh run of the check, so a new run is created.
    await fromCommit(context, repository, run.head_sha, run.pull_requests, false);
  });

  app.on('check_run.requested_action', async (context) => {
    const { check_run: run, repository, requested_action: action } = context.payload;
    if (run.name !== CHECK_RUN_NAME || action?.identifier !== RERUN_ACTION.identifier) return;
    // The button sits on the run a restart interrupted: that run is reviewed again.
    await fromCommit(context, repository, run.head_sha, run.pull_requests, true, false);
  });

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const { check_suite: suite, repository } = context.payload;
    const requested = context.payload.action === 'requested';
    // GitHub sends `requested` next to pull_request.synchronize on every push: if that review already made
    // its run, this event adds nothing.
    guard(context);
    if (requested && (await hasCheckRun(context.octokit, { owner: repository.owner.login, repo: repository.name }, suite.head_sha))) return;
    await fromCommit(context, repository, suite.head_sha, suite.pull_requests, requested);
  });
}
