/**
 * Webhook events -> review jobs. Handlers guard (closed PRs, other apps' check runs), start the check run
 * at once, and queue the scan; a job already queued or running for the same PR and commit absorbs repeats
 * (redeliveries, the check_suite event GitHub sends next to pull_request.synchronize).
 */
import type { Context, Probot } from 'probot';
import { CHECK_RUN_NAME } from '../report/github-limits.js';
import { hasCheckRun, startCheckRun } from './publisher.js';
import { pullRequestsForCommit, toInfo, type PullRequestInfo } from './pull-requests.js';
import type { Queue } from './queue.js';
import { reviewPullRequest, type ReviewDeps } from './review-pull-request.js';

interface RepositoryPayload {
  name: string;
  owner: { login: string };
  default_branch: string;
  html_url: string;
}

export interface HandlerDeps extends ReviewDeps {
  queue: Queue;
}

export const PULL_REQUEST_ACTIONS = ['opened', 'reopened', 'synchronize', 'ready_for_review'] as const;

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const inFlight = new Set<string>();

  const enqueue = async (context: Context, repository: RepositoryPayload, pr: PullRequestInfo, reuseCheckRun: boolean) => {
    const at = { owner: repository.owner.login, repo: repository.name };
    const key = `${at.owner}/${at.repo}#${pr.number}@${pr.headSha}`;
    if (inFlight.has(key)) {
      context.log.info({ key }, 'a review of this commit is already queued or running');
      return;
    }
    inFlight.add(key);
    try {
      const checkRunId = await startCheckRun(context.octokit, at, pr.headSha, reuseCheckRun);
      const job = {
        octokit: context.octokit,
        log: context.log,
        // Some GitHub-compatible servers leave these out of the payload: the API still knows the default branch.
        repo: { ...at, defaultBranch: repository.default_branch ?? '', htmlUrl: repository.html_url ?? `https://github.com/${at.owner}/${at.repo}` },
        pr,
        checkRunId,
      };
      deps.queue.push(key, () => reviewPullRequest(job, deps).finally(() => inFlight.delete(key)));
    } catch (err) {
      inFlight.delete(key);
      throw err;
    }
  };

  app.on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (pr.state !== 'open') return;
      await enqueue(context, repository, toInfo(pr), true);
    },
  );

  const fromCommit = async (context: Context, repository: RepositoryPayload, sha: string, listed: { number: number }[], reuse: boolean) => {
    const prs = await pullRequestsForCommit(context.octokit, { owner: repository.owner.login, repo: repository.name }, sha, listed.map((p) => p.number));
    if (!prs.length) {
      context.log.info({ sha }, 'no open pull request has this commit as its head; nothing to review');
      return;
    }
    for (const pr of prs) await enqueue(context, repository, pr, reuse);
  };

  app.on('check_run.rerequested', async (context) => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== CHECK_RUN_NAME) return;
    // "Re-run" asks for a fresh run of the check, so a new run is created.
    await fromCommit(context, repository, run.head_sha, run.pull_requests, false);
  });

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const { check_suite: suite, repository } = context.payload;
    const requested = context.payload.action === 'requested';
    // GitHub sends `requested` next to pull_request.synchronize on every push: if that review already made
    // its run, this event adds nothing.
    if (requested && (await hasCheckRun(context.octokit, { owner: repository.owner.login, repo: repository.name }, suite.head_sha))) return;
    await fromCommit(context, repository, suite.head_sha, suite.pull_requests, requested);
  });
}
