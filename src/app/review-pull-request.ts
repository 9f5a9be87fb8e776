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
import type { ChangeReview, ChangeSet, Severity } from '../engine/types.js';
import type { Rule } from '../rules/rule.js';
import { decodePythonSource } from '../python/decode.js';
import { renderCheckRun, renderNeutral, renderNotReviewed, type CheckRunOutput } from '../report/check-run.js';
import { MAX_CHECK_RUN_TEXT } from '../report/github-limits.js';
import { mdCode, mdMessage, mdText } from '../report/markdown.js';
import { commentable, renderReview } from '../report/review-comments.js';
import { failsAt } from '../report/summary.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';
import type { BlobCache } from './blob-cache.js';
import { withContextModules } from './context-source.js';
import { judgesSettings } from '../engine/read-settings-context.js';
import { PrimaryRateLimitError } from './github-faults.js';
import { includeReader, pullRequestChange } from './github-change-source.js';
import { readIncludes } from '../engine/read-includes.js';
import { completeCheckRun, commentedFingerprints, postReview, RERUN_ACTION, resolveFixedThreads, type AppIdentity, type CheckRunAction, type FinalOutput, type RepoRef } from './publisher.js';
import type { PullRequestInfo } from './pull-requests.js';
import { RetryLaterError, type StopReason } from './queue.js';
import { CONFIG_PATH, fileText, loadRepoConfig } from './repo-config.js';
import { checkProposedConfig, type ProposedConfigCheck } from '../engine/proposed-config.js';
import { ScanStopped } from '../engine/scan-change.js';

export interface ReviewJob {
  octokit: ProbotOctokit;
  log: Logger;
  repo: RepoRef & { defaultBranch: string; htmlUrl: string };
  pr: PullRequestInfo;
  checkRunId: number;
  /** Aborted with a {@link StopReason} when a newer push supersedes this review, pyward shuts down, or the queue gives the review up. */
  signal?: AbortSignal;
  /** The config file on the default branch (the Action's `config` input); default `.github/pyward.yml`. */
  configPath?: string;
  /** Overrides the config's `fail_on` (the Action's `fail-on` input). */
  failOn?: Severity;
  /** The token cannot write (a fork's pull request in a workflow): nothing is posted, the caller reports. */
  readOnly?: boolean;
}

/** What a review concluded, and the findings behind it when it got that far (for the Action's outputs and SARIF). */
export interface ReviewOutcome {
  output: FinalOutput;
  /** Buttons on the completed check run (Re-run, after an interrupted review). */
  actions?: CheckRunAction[];
  /** Superseded, stopped by a shutdown, or given up by the queue. */
  stopped?: StopReason['kind'];
  /** Files of the change and findings the review reached (logs and metrics). */
  files?: number;
  findings?: number;
  result?: ChangeReview;
  rules?: Rule[];
  config?: Config;
}

export interface ReviewDeps {
  parser: () => Promise<Parser>;
  now: () => number;
  /** A finding's documentation link (see report/rule-links.ts); undefined: none. */
  docsUrl: (ruleId: string) => string | undefined;
  /** A scan that takes longer ends as incomplete (failure, or neutral with `incomplete: neutral`), saying so. */
  timeoutMs: number;
  /** The advisory source (one per process: its cache is shared across reviews). */
  advisories: () => AdvisorySource;
  /** Wall clock, for `dependencies.ignore` expiry dates. */
  clockMs?: () => number;
  /** The app's own id and slug: only its comments' fingerprint markers count. */
  identity: () => Promise<AppIdentity>;
  /** File contents read by earlier reviews (by blob sha, or base commit and path). */
  blobCache?: BlobCache;
}

class TimeoutError extends Error {}

/** Set when the job has timed out: the abandoned review must not write to GitHub any more. */
interface Deadline {
  expired: boolean;
  /** Date.now() at which it expires: the synchronous scan asks between files (a timer cannot interrupt it). */
  at: number;
}

function withTimeout<T>(run: (deadline: Deadline) => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline: Deadline = { expired: false, at: Date.now() + ms };
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
  const path = job.configPath ?? CONFIG_PATH;
  if (!listedPaths.includes(path)) return undefined;
  // GitHub serves a link to a file inside the repository as that file, and anything else as no file: nothing outside is read.
  const text = await fileText(job.octokit, { owner: job.repo.owner, repo: job.repo.repo }, path, change.headSha);
  return text === undefined ? undefined : checkProposedConfig({ kind: 'file', text }, 'This pull request');
}

/** The config in force, once read: a review that then fails or times out concludes as its `incomplete` says. */
interface Progress {
  config?: Config;
  /** Files of the change and findings the review reached, for the log and metrics. */
  files?: number;
  findings?: number;
}

/** What one review ended with (the per-review log line and the metrics). */
export interface ReviewSummary {
  conclusion: FinalOutput['conclusion'];
  /** Superseded or stopped by a shutdown. */
  stopped?: StopReason['kind'];
  files?: number;
  findings?: number;
}

async function review(job: ReviewJob, deps: ReviewDeps, deadline: Deadline, progress: Progress): Promise<ReviewOutcome> {
  const { octokit, repo, pr, log } = job;
  const at = { owner: repo.owner, repo: repo.repo }; // only these may reach the API: other keys become query parameters
  const loaded = await loadRepoConfig(octokit, at, repo.defaultBranch, job.configPath);
  if (!loaded.ok) {
    const lines = loaded.errors.map((e) => `- ${mdCode(e.file)}${e.line ? ` line ${e.line}` : ''}: ${e.key ? `${mdCode(e.key)}: ` : ''}${mdMessage(e.message)}`);
    return { output: renderNeutral('Invalid pyward configuration', `pyward did not scan this pull request because its configuration is invalid. Fix these and push again (or re-run the check):\n\n${lines.join('\n')}`) };
  }
  const config: Config = job.failOn ? { ...loaded.config, fail_on: job.failOn } : loaded.config;
  progress.config = config;
  const isIgnored = ignoreMatcher(config.paths.ignore);
  const rules = selectRules(config);
  const active = prepareRules(rules, ALL_RULES, config);
  const parser = await deps.parser();
  const prRef = { ...at, number: pr.number, baseSha: pr.baseSha, headSha: pr.headSha };
  const listing = await pullRequestChange(octokit, prRef, isIgnored, deps.blobCache);
  // A timed-out or superseded review stops its CPU work (parsing, the scan) at its next check, not at the end.
  const shouldStop = () => Date.now() > deadline.at || !!job.signal?.aborted;
  const timedOut = (err: unknown) => (err instanceof ScanStopped && !job.signal?.aborted ? new TimeoutError(`the scan took longer than its time limit (${err.message})`) : err);
  // Unchanged modules the changed files import, so data flow follows calls into them.
  const checkpoint = () => {
    if (shouldStop()) throw new ScanStopped('the review was stopped while it read the imports of the changed files');
  };
  const withModules = await withContextModules(octokit, at, listing, { parser, config, dataflow: active.dataflow, settings: judgesSettings(active.rules), ...(isIgnored ? { isIgnored } : {}), log, checkpoint }).catch((err: unknown) => {
    throw timedOut(err);
  });
  // Requirements files the change includes (`-r`, `-c`), read at the head commit within the repository.
  const includes = await readIncludes(withModules, { read: includeReader(octokit, prRef, deps.blobCache), added: AddedLines.fromPatches(withModules.files), ...(isIgnored ? { isIgnored } : {}) });
  const change = includes ? { ...withModules, includes } : withModules;
  const listedPaths = [...change.files.map((f) => f.path), ...change.skipped.map((s) => s.path)];
  const proposed = await proposedConfig(job, change, listedPaths);
  let result: ChangeReview;
  try {
    result = await reviewChange(change, {
      parser,
      config,
      active,
      now: deps.now,
      ...(isIgnored ? { isIgnored } : {}),
      ...(config.dependencies.enabled ? { advisories: deps.advisories() } : {}),
      today: new Date(deps.clockMs?.() ?? Date.now()).toISOString().slice(0, 10),
      shouldStop,
    });
  } catch (err) {
    throw timedOut(err);
  }
  progress.files = change.files.length;
  progress.findings = result.findings.length;
  // An invalid proposed config is something this review could not vouch for: it fails closed like a skipped file.
  if (proposed?.error) result.errors.push(proposed.error);
  // A newer push or a shutdown while the engine ran: nothing of this review is written.
  job.signal?.throwIfAborted();

  const notes: string[] = [];
  if (proposed) notes.push(proposed.note);
  const worthAComment = commentable(result.findings, config.review.min_severity);
  const wantsComments = config.review.enabled && (!pr.draft || config.review.drafts) && !job.readOnly;
  // Earlier comments are read when there is something to comment, or to resolve threads of fixed findings.
  const own = (wantsComments && worthAComment.length) || (config.review.resolve_fixed && !job.readOnly) ? await commentedFingerprints(octokit, at, pr.number, await deps.identity()) : undefined;
  const commented = own?.fingerprints ?? new Map<string, string>();
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
  if (job.readOnly && rendered.comments.length) {
    notes.push('The token cannot write to this repository (a pull request from a fork): no inline comments; every finding is listed below.');
  } else if (!wantsComments && rendered.comments.length) {
    notes.push(config.review.enabled ? 'Draft pull request: findings are in this check only (set `review.drafts: true` for inline comments).' : 'Inline comments are off (`review.enabled: false`).');
  } else if (rendered.comments.length && !deadline.expired) {
    const failing = failsAt(result, config.fail_on);
    try {
      job.signal?.throwIfAborted();
      const posted = await postReview(
        octokit,
        at,
        pr,
        {
          body: rendered.body,
          event: config.review.event === 'REQUEST_CHANGES' && failing ? 'REQUEST_CHANGES' : 'COMMENT',
          comments: rendered.comments,
        },
        async () => new Set((await commentedFingerprints(octokit, at, pr.number, await deps.identity())).fingerprints.keys()),
      );
      for (const c of posted.rejected) {
        const finding = result.findings.find((f) => f.fingerprint === c.fingerprint);
        if (finding) notCommented.push({ finding, reason: 'GitHub refused the comment anchor' });
      }
    } catch (err) {
      if (job.signal?.aborted || err instanceof PrimaryRateLimitError) throw err;
      log.warn({ err }, 'posting the review failed');
      notes.push(`The inline comments could not be posted (GitHub answered ${(err as { status?: number }).status ?? 'with an error'}); every finding is listed below.`);
    }
  }
  if (config.review.resolve_fixed && commented.size && !deadline.expired && !job.readOnly) {
    // A commented finding is fixed when its file was analysed again and the finding is nowhere in it.
    const present = new Set([...result.findings, ...result.preExisting, ...result.suppressed].map((f) => f.fingerprint));
    const analysed = new Set(change.files.filter((f) => f.head !== undefined && !isIgnored?.(f.path)).map((f) => f.path));
    const listed = new Set(listedPaths);
    const fixed = new Set([...commented].filter(([fp, path]) => path !== '' && !present.has(fp) && (analysed.has(path) || !listed.has(path))).map(([fp]) => fp));
    try {
      const resolved = await resolveFixedThreads(octokit, at, pr.number, fixed, own?.ids ?? new Set());
      if (resolved) notes.push(`${resolved === 1 ? 'One earlier pyward comment was' : `${resolved} earlier pyward comments were`} marked resolved: ${resolved === 1 ? 'its finding is' : 'their findings are'} gone.`);
    } catch (err) {
      if (job.signal?.aborted || err instanceof PrimaryRateLimitError) throw err;
      log.warn({ err }, 'resolving fixed review threads failed');
    }
  }
  const output = renderCheckRun(result, { config, rules, configSource: mdText(loaded.source), notCommented, ruleUrl: deps.docsUrl, fileUrl: (path, line) => `${repo.htmlUrl}/blob/${pr.headSha}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}` });
  return { output: withNotes(output, notes), result, rules, config };
}

/**
 * The check-run output of a review stopped before it finished. A review the queue gave up fails closed
 * like any review that did not finish (`config`: the one in force, for `incomplete`).
 */
export function stoppedOutput(reason: StopReason, config?: Pick<Config, 'incomplete'>): { output: FinalOutput; actions: CheckRunAction[] } {
  if (reason.kind === 'given-up') {
    return {
      output: renderNotReviewed(
        'pyward could not finish this review',
        `pyward could not finish this review: ${mdMessage(reason.why)}. Press **Re-run** to try again. If it happens again, a file of this change may be more than pyward can analyse: exclude generated or vendored code with \`paths.ignore\` in \`.github/pyward.yml\` on the default branch; the instance logs say more.`,
        config,
      ),
      actions: [RERUN_ACTION],
    };
  }
  if (reason.kind === 'superseded') {
    return { output: renderNeutral(`Superseded by ${reason.bySha.slice(0, 12)}`, `A newer commit (${reason.bySha}) was pushed to this pull request before this review finished; pyward reviews that commit instead and posted nothing for this one.`), actions: [] };
  }
  return {
    output: {
      conclusion: 'action_required',
      title: 'Interrupted by a pyward restart',
      summary: 'pyward was restarted before it could finish reviewing this commit. It resumes the review when it is back; press **Re-run** to ask for it now.',
      annotations: [],
    },
    actions: [RERUN_ACTION],
  };
}

const stopReasonOf = (signal: AbortSignal | undefined): StopReason | undefined => {
  const reason = signal?.aborted ? (signal.reason as StopReason | undefined) : undefined;
  return reason?.kind === 'superseded' || reason?.kind === 'shutdown' || reason?.kind === 'given-up' ? reason : undefined;
};

/** The config in force, for the conclusion of a review that never got to read it; undefined (the defaults) when it cannot be read. */
async function configInForce(job: ReviewJob): Promise<Config | undefined> {
  try {
    const loaded = await loadRepoConfig(job.octokit, { owner: job.repo.owner, repo: job.repo.repo }, job.repo.defaultBranch, job.configPath);
    return loaded.ok ? loaded.config : undefined;
  } catch (err) {
    job.log.warn({ err }, 'reading the configuration failed; the default (incomplete: failure) applies');
    return undefined;
  }
}

/**
 * Runs the review, turning every failure into a concluded output. Publishes nothing but the review. Throws
 * only a spent rate limit ({@link RetryLaterError}): the check stays in progress and the queue runs the job
 * again after the reset.
 */
export async function runReview(job: ReviewJob, deps: ReviewDeps): Promise<ReviewOutcome> {
  const progress: Progress = {};
  try {
    // A superseded or interrupted job handed back before it started: only its check run is completed.
    job.signal?.throwIfAborted();
    const outcome = await withTimeout((deadline) => review(job, deps, deadline, progress), deps.timeoutMs);
    return { ...outcome, ...(progress.files !== undefined ? { files: progress.files } : {}), ...(progress.findings !== undefined ? { findings: progress.findings } : {}) };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const stopped = stopReasonOf(job.signal);
    if (!stopped && err instanceof PrimaryRateLimitError) {
      job.log.warn({ resetAt: new Date(err.resetAtMs).toISOString() }, 'rate limit spent: the review waits for the reset');
      throw new RetryLaterError(err.resetAtMs, err.message);
    }
    if (stopped) {
      const { output, actions } = stoppedOutput(stopped, stopped.kind === 'given-up' ? (progress.config ?? (await configInForce(job))) : undefined);
      return { output, stopped: stopped.kind, ...(actions.length ? { actions } : {}) };
    }
    job.log.error({ err }, 'pyward review failed');
    const actions: CheckRunAction[] = [];
    // Nothing of the change was vouched for: fail closed unless the config says `incomplete: neutral`.
    const output =
      err instanceof TimeoutError
        ? renderNotReviewed('pyward timed out', `pyward could not finish: ${err.message}. Re-run the check; if it keeps happening, exclude generated code with \`paths.ignore\` on the default branch.`, progress.config)
        : status
          ? renderNotReviewed('GitHub unavailable', `pyward could not read this pull request from GitHub (HTTP ${status}). Re-run the check in a few minutes.`, progress.config)
          : renderNotReviewed('pyward failed', `pyward hit an internal error and could not review this pull request: ${mdMessage((err as Error).message)}. Re-run the check; the error has been logged.`, progress.config);
    return { output, ...(actions.length ? { actions } : {}), ...(progress.config ? { config: progress.config } : {}), ...(progress.files !== undefined ? { files: progress.files } : {}) };
  }
}

/** Runs the review and completes the check run whatever happens. Errors are logged, never thrown, except a spent rate limit (see runReview). */
export async function reviewPullRequest(job: ReviewJob, deps: ReviewDeps): Promise<ReviewSummary> {
  const { output, actions, stopped, files, findings } = await runReview(job, deps);
  try {
    await completeCheckRun(job.octokit, { owner: job.repo.owner, repo: job.repo.repo }, job.checkRunId, output, actions ?? []);
  } catch (err) {
    job.log.error({ err }, 'completing the check run failed');
  }
  return { conclusion: output.conclusion, ...(stopped ? { stopped } : {}), ...(files !== undefined ? { files } : {}), ...(findings !== undefined ? { findings } : {}) };
}
