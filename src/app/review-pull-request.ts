/**
 * One review of one pull request at one head commit: config from the default branch, the change set, the
 * engine, then the review comments and the check run. The check run is completed on every path.
 */
import type { Logger, ProbotOctokit } from 'probot';
import type { Parser } from 'web-tree-sitter';
import { ignoreMatcher } from '../config/path-ignore.js';
import type { Config } from '../config/schema.js';
import { AddedLines } from '../diff/patch.js';
import { prepareRules } from '../engine/analyze-file.js';
import { reviewChange } from '../engine/review-change.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import type { ChangeSet } from '../engine/types.js';
import { decodePythonSource } from '../python/decode.js';
import { renderCheckRun, renderNeutral, renderNotReviewed, type CheckRunOutput } from '../report/check-run.js';
import { MAX_CHECK_RUN_TEXT } from '../report/github-limits.js';
import { commentable, renderReview } from '../report/review-comments.js';
import { failsAt } from '../report/summary.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';
import { withContextModules } from './context-source.js';
import { pullRequestChange } from './github-change-source.js';
import { completeCheckRun, commentedFingerprints, postReview, resolveFixedThreads, type RepoRef } from './publisher.js';
import type { PullRequestInfo } from './pull-requests.js';
import { CONFIG_PATH, fileText, loadRepoConfig } from './repo-config.js';
import { checkProposedConfig, type ProposedConfigCheck } from '../engine/proposed-config.js';

export interface ReviewJob {
  octokit: ProbotOctokit;
  log: Logger;
  repo: RepoRef & { defaultBranch: string; htmlUrl: string };
  pr: PullRequestInfo;
  checkRunId: number;
}

export interface ReviewDeps {
  parser: () => Promise<Parser>;
  now: () => number;
  /** A finding's documentation link (see report/rule-links.ts); undefined: none. */
  docsUrl: (ruleId: string) => string | undefined;
  /** A scan that takes longer ends with a neutral check saying so. */
  timeoutMs: number;
  /** The advisory source (one per process: its cache is shared across reviews). */
  advisories: () => AdvisorySource;
  /** Wall clock, for `dependencies.ignore` expiry dates. */
  clockMs?: () => number;
}

class TimeoutError extends Error {}

/** Set when the job has timed out: the abandoned review must not write to GitHub any more. */
interface Deadline {
  expired: boolean;
}

function withTimeout<T>(run: (deadline: Deadline) => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline: Deadline = { expired: false };
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.expired = true;
      reject(new TimeoutError(`the scan took longer than ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  return Promise.race([run(deadline), timeout]).finally(() => clearTimeout(timer));
}

function sourceLinesOf(change: ChangeSet): (path: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      const head = change.files.find((f) => f.path === path)?.head;
      const decoded = head === undefined ? undefined : typeof head === 'string' ? { ok: true as const, text: head } : decodePythonSource(head);
      cache.set(path, decoded?.ok ? decoded.text.split('\n').map((l) => l.replace(/\r$/, '')) : undefined);
    }
    return cache.get(path);
  };
}

/** Prepends notes (review trouble, the PR's own config change) to the summary, within GitHub's limit. */
function withNotes(output: CheckRunOutput, notes: string[]): CheckRunOutput {
  if (!notes.length) return output;
  const head = `${notes.map((n) => `> ${n}`).join('\n>\n')}\n\n`;
  return { ...output, summary: (head + output.summary).slice(0, MAX_CHECK_RUN_TEXT) };
}

/** The PR's own `.github/pyward.yml`: validated and reported, never applied. */
async function proposedConfig(job: ReviewJob, change: ChangeSet, listedPaths: string[]): Promise<ProposedConfigCheck | undefined> {
  if (!listedPaths.includes(CONFIG_PATH)) return undefined;
  // GitHub serves a link to a file inside the repository as that file, and anything else as no file: nothing outside is read.
  const text = await fileText(job.octokit, { owner: job.repo.owner, repo: job.repo.repo }, CONFIG_PATH, change.headSha);
  return text === undefined ? undefined : checkProposedConfig({ kind: 'file', text }, 'This pull request');
}

/** The config in force, once read: a review that then fails or times out concludes as its `incomplete` says. */
interface Progress {
  config?: Config;
}

async function review(job: ReviewJob, deps: ReviewDeps, deadline: Deadline, progress: Progress): Promise<CheckRunOutput> {
  const { octokit, repo, pr, log } = job;
  const at = { owner: repo.owner, repo: repo.repo }; // only these may reach the API: other keys become query parameters
  const loaded = await loadRepoConfig(octokit, at, repo.defaultBranch);
  if (!loaded.ok) {
    const lines = loaded.errors.map((e) => `- \`${e.file}\`${e.line ? ` line ${e.line}` : ''}: ${e.key ? `\`${e.key}\`: ` : ''}${e.message}`);
    return renderNeutral('Invalid pyward configuration', `pyward did not scan this pull request because its configuration is invalid. Fix these and push again (or re-run the check):\n\n${lines.join('\n')}`);
  }
  const config: Config = loaded.config;
  progress.config = config;
  const isIgnored = ignoreMatcher(config.paths.ignore);
  const rules = selectRules(config);
  const active = prepareRules(rules, ALL_RULES, config);
  const parser = await deps.parser();
  const listing = await pullRequestChange(octokit, { ...at, number: pr.number, baseSha: pr.baseSha, headSha: pr.headSha }, isIgnored);
  // Unchanged modules the changed files import, so data flow follows calls into them.
  const change = await withContextModules(octokit, at, listing, { parser, config, dataflow: active.dataflow, ...(isIgnored ? { isIgnored } : {}), log });
  const listedPaths = [...change.files.map((f) => f.path), ...change.skipped.map((s) => s.path)];
  const proposed = await proposedConfig(job, change, listedPaths);
  const result = await reviewChange(change, {
    parser,
    config,
    active,
    now: deps.now,
    ...(isIgnored ? { isIgnored } : {}),
    ...(config.dependencies.enabled ? { advisories: deps.advisories() } : {}),
    today: new Date(deps.clockMs?.() ?? Date.now()).toISOString().slice(0, 10),
  });
  // An invalid proposed config is something this review could not vouch for: it fails closed like a skipped file.
  if (proposed?.error) result.errors.push(proposed.error);

  const notes: string[] = [];
  if (proposed) notes.push(proposed.note);
  const worthAComment = commentable(result.findings, config.review.min_severity);
  const wantsComments = config.review.enabled && (!pr.draft || config.review.drafts);
  // Earlier comments are read when there is something to comment, or to resolve threads of fixed findings.
  const commented = (wantsComments && worthAComment.length) || config.review.resolve_fixed ? await commentedFingerprints(octokit, at, pr.number) : new Map<string, string>();
  const rendered = renderReview(worthAComment, {
    rules,
    added: AddedLines.fromPatches(change.files),
    maxComments: config.review.max_comments,
    // Only worth a request when something could be commented.
    alreadyCommented: new Set(commented.keys()),
    sourceLines: sourceLinesOf(change),
    docsUrl: deps.docsUrl,
    fileUrl: (path, line) => `${repo.htmlUrl}/blob/${pr.headSha}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}`,
  });
  const notCommented: { finding: (typeof result.findings)[number]; reason: string }[] = [...rendered.notCommented];
  if (!wantsComments && rendered.comments.length) {
    notes.push(config.review.enabled ? 'Draft pull request: findings are in this check only (set `review.drafts: true` for inline comments).' : 'Inline comments are off (`review.enabled: false`).');
  } else if (rendered.comments.length && !deadline.expired) {
    const failing = failsAt(result, config.fail_on);
    try {
      const posted = await postReview(octokit, at, pr, {
        body: rendered.body,
        event: config.review.event === 'REQUEST_CHANGES' && failing ? 'REQUEST_CHANGES' : 'COMMENT',
        comments: rendered.comments,
      });
      for (const c of posted.rejected) {
        const finding = result.findings.find((f) => f.fingerprint === c.fingerprint);
        if (finding) notCommented.push({ finding, reason: 'GitHub refused the comment anchor' });
      }
    } catch (err) {
      log.warn({ err }, 'posting the review failed');
      notes.push(`The inline comments could not be posted (GitHub answered ${(err as { status?: number }).status ?? 'with an error'}); every finding is listed below.`);
    }
  }
  if (config.review.resolve_fixed && commented.size && !deadline.expired) {
    // A commented finding is fixed when its file was analysed again and the finding is nowhere in it.
    const present = new Set([...result.findings, ...result.preExisting, ...result.suppressed].map((f) => f.fingerprint));
    const analysed = new Set(change.files.filter((f) => f.head !== undefined && !isIgnored?.(f.path)).map((f) => f.path));
    const listed = new Set(listedPaths);
    const fixed = new Set([...commented].filter(([fp, path]) => path !== '' && !present.has(fp) && (analysed.has(path) || !listed.has(path))).map(([fp]) => fp));
    try {
      const resolved = await resolveFixedThreads(octokit, at, pr.number, fixed);
      if (resolved) notes.push(`${resolved === 1 ? 'One earlier pyward comment was' : `${resolved} earlier pyward comments were`} marked resolved: ${resolved === 1 ? 'its finding is' : 'their findings are'} gone.`);
    } catch (err) {
      log.warn({ err }, 'resolving fixed review threads failed');
    }
  }
  const output = renderCheckRun(result, { config, rules, configSource: loaded.source, notCommented, ruleUrl: deps.docsUrl, fileUrl: (path, line) => `${repo.htmlUrl}/blob/${pr.headSha}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}` });
  return withNotes(output, notes);
}

/** Runs the review and completes the check run whatever happens. Errors are logged, never thrown. */
export async function reviewPullRequest(job: ReviewJob, deps: ReviewDeps): Promise<void> {
  let output: CheckRunOutput;
  const progress: Progress = {};
  try {
    output = await withTimeout((deadline) => review(job, deps, deadline, progress), deps.timeoutMs);
  } catch (err) {
    const status = (err as { status?: number }).status;
    job.log.error({ err }, 'pyward review failed');
    // Nothing of the change was vouched for: fail closed unless the config says `incomplete: neutral`.
    output =
      err instanceof TimeoutError
        ? renderNotReviewed('pyward timed out', `pyward could not finish: ${err.message}. Re-run the check; if it keeps happening, exclude generated code with \`paths.ignore\` on the default branch.`, progress.config)
        : status
          ? renderNotReviewed('GitHub unavailable', `pyward could not read this pull request from GitHub (HTTP ${status}). Re-run the check in a few minutes.`, progress.config)
          : renderNotReviewed('pyward failed', `pyward hit an internal error and could not review this pull request: ${(err as Error).message}. Re-run the check; the error has been logged.`, progress.config);
  }
  try {
    await completeCheckRun(job.octokit, { owner: job.repo.owner, repo: job.repo.repo }, job.checkRunId, output);
  } catch (err) {
    job.log.error({ err }, 'completing the check run failed');
  }
}
