/**
 * The GitHub Action: one review of the workflow's pull request, as the App does it (same config file on the
 * default branch, same engine, same check run and inline comments), with the workflow's token. The step
 * also reports through the runner: outputs, the job summary, and the exit code (failure fails the job).
 * A fork's pull request gets a read-only token: GitHub refuses the check run (403), so nothing is posted and
 * the findings go to the job summary and the log's annotations instead; the job still passes or fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'probot';
import { ProbotOctokit } from 'probot';
import { advisorySourceFromEnv } from '../dependencies/advisories/select-source.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { pythonParser } from '../python/parser.js';
import { linkBaseFromEnv, ruleUrl } from '../report/rule-links.js';
import { renderSarif } from '../report/sarif.js';
import { ALL_RULES } from '../rules/registry.js';
import { packageRepository, packageVersion } from '../package-info.js';
import { countBySeverity } from '../report/summary.js';
import { renderWorkflowCommands, workflowCommand } from '../report/workflow-commands.js';
import { oneEntryPerProblem } from '../report/flow-steps.js';
import { completeCheckRun, startCheckRun } from '../app/publisher.js';
import { runReview, type ReviewOutcome } from '../app/review-pull-request.js';
import { ActionInputError, readSettings, type ActionSettings } from './environment.js';
import { appendSummary, writeOutputs } from './workflow-files.js';

/** The GitHub Actions app, whose bot (`github-actions[bot]`) writes what a workflow's GITHUB_TOKEN posts. */
const GITHUB_ACTIONS_APP = { id: 15368, slug: 'github-actions' };
const RULE_IDS = new Set(ALL_RULES.map((r) => r.meta.id));

export interface ActionIo {
  /** The step's log (stdout): workflow commands and progress. */
  log: (line: string) => void;
  readFile?: (path: string) => string;
}

export interface ActionDeps {
  /** Octokit options merged over the defaults (tests turn retries and throttling off). */
  octokitOptions?: Record<string, unknown>;
  advisories?: AdvisorySource;
  now?: () => number;
  timeoutMs?: number;
}

/** Probot's logger interface, written as workflow commands (warnings and errors become annotations). */
function stepLogger(log: (line: string) => void): Logger {
  const line = (command: 'debug' | 'warning' | 'error' | undefined) => (first: unknown, second?: unknown) => {
    const message = typeof first === 'string' ? first : `${String(second ?? '')}${(first as { err?: Error })?.err ? `: ${(first as { err: Error }).err.message}` : ''}`;
    log(command === undefined ? message : command === 'debug' ? `::debug::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}` : workflowCommand(command, {}, message));
  };
  const logger = { info: line(undefined), debug: line('debug'), trace: line('debug'), warn: line('warning'), error: line('error'), fatal: line('error') } as Record<string, unknown>;
  logger.child = () => logger;
  return logger as unknown as Logger;
}

function octokitFor(settings: ActionSettings, log: Logger, deps: ActionDeps): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({ auth: { token: settings.token }, baseUrl: settings.apiUrl, log, ...deps.octokitOptions });
}

/** The check run, or undefined when the token may not create one (a fork's pull request: 403). */
async function startRun(octokit: InstanceType<typeof ProbotOctokit>, settings: ActionSettings): Promise<number | undefined> {
  try {
    return await startCheckRun(octokit, { owner: settings.owner, repo: settings.repo }, settings.pr.headSha, true, settings.runUrl);
  } catch (err) {
    if ((err as { status?: number }).status === 403) return undefined;
    throw err;
  }
}

function stepSummary(outcome: ReviewOutcome, checkRunUrl: string | undefined): string {
  const { output } = outcome;
  const where = checkRunUrl
    ? `The [\`pyward\` check run](${checkRunUrl}) has the annotations${outcome.result?.findings.length ? ' and the pull request the inline comments' : ''}.`
    : 'The workflow token cannot write to this repository (a pull request from a fork), so there is no check run and no inline comment: the findings are below and in this job\'s annotations.';
  return `## pyward: ${output.title}\n\n**Conclusion: ${output.conclusion}.** ${where}\n\n${output.summary}\n`;
}

function outputsOf(outcome: ReviewOutcome, checkRunId: number | undefined, sarifFile: string | undefined): Record<string, string | number> {
  const findings = oneEntryPerProblem(outcome.result?.findings ?? []);
  const counts = countBySeverity(findings);
  return {
    conclusion: outcome.output.conclusion,
    findings: findings.length,
    critical: counts.critical,
    high: counts.high,
    medium: counts.medium,
    low: counts.low,
    'check-run-id': checkRunId ?? '',
    'sarif-file': sarifFile ?? '',
  };
}

/** Runs the Action; returns the step's exit code (0 pass, 1 fail). Never throws. */
export async function runAction(env: NodeJS.ProcessEnv, io: ActionIo, deps: ActionDeps = {}): Promise<number> {
  const log = stepLogger(io.log);
  let settings: ActionSettings;
  try {
    settings = readSettings(env, io.readFile ?? ((p) => readFileSync(p, 'utf8')));
  } catch (err) {
    if (!(err instanceof ActionInputError)) throw err;
    io.log(workflowCommand('error', { title: 'pyward' }, err.message));
    return 1;
  }
  const at = { owner: settings.owner, repo: settings.repo };
  try {
    const octokit = octokitFor(settings, log, deps);
    const checkRunId = await startRun(octokit, settings);
    const advisoryEnv = { ...env, ...settings.advisoryEnv };
    let advisories = deps.advisories;
    const links = linkBaseFromEnv(env, packageRepository());
    const outcome = await runReview(
      {
        octokit,
        log,
        repo: { ...at, defaultBranch: settings.defaultBranch, htmlUrl: settings.htmlUrl },
        pr: settings.pr,
        checkRunId: checkRunId ?? 0,
        configPath: settings.configPath,
        ...(settings.failOn ? { failOn: settings.failOn } : {}),
        readOnly: checkRunId === undefined,
      },
      {
        parser: pythonParser,
        now: deps.now ?? (() => performance.now()),
        // Links as the App makes them (PYWARD_PUBLIC_URL / PYWARD_DOCS_URL / package.json's repository)
        docsUrl: (id) => ruleUrl(id, links, (x) => RULE_IDS.has(x)),
        timeoutMs: deps.timeoutMs ?? Number(env.PYWARD_SCAN_TIMEOUT_MS ?? 300_000),
        advisories: () => (advisories ??= advisorySourceFromEnv(advisoryEnv, { cwd: settings.workspace })),
        // The workflow's GITHUB_TOKEN writes as the GitHub Actions app: only its comments' markers count.
        identity: async () => GITHUB_ACTIONS_APP,
      },
    );
    let checkRunUrl: string | undefined;
    if (checkRunId !== undefined) {
      try {
        await completeCheckRun(octokit, at, checkRunId, outcome.output);
        checkRunUrl = `${settings.htmlUrl}/runs/${checkRunId}`;
      } catch (err) {
        log.warn({ err }, 'completing the check run failed; the job summary has the review');
      }
    } else if (outcome.result) {
      // No check run to carry the annotations: the job's own annotations show them on the pull request's files.
      for (const line of renderWorkflowCommands(outcome.result, { failOn: outcome.config?.fail_on ?? 'high' }).trimEnd().split('\n')) io.log(line);
    }
    let sarifFile: string | undefined;
    if (settings.sarifFile && outcome.result && outcome.rules) {
      sarifFile = resolve(settings.workspace, settings.sarifFile);
      mkdirSync(dirname(sarifFile), { recursive: true });
      writeFileSync(sarifFile, `${JSON.stringify(renderSarif(outcome.result, outcome.rules, { toolVersion: packageVersion(), ruleUrl: (id) => ruleUrl(id, links, (x) => RULE_IDS.has(x)) }), null, 2)}\n`);
    } else if (settings.sarifFile) {
      io.log(workflowCommand('warning', { title: 'pyward' }, `no SARIF written to ${settings.sarifFile}: the review did not complete (${outcome.output.title})`));
    }
    appendSummary(settings.summaryFile, stepSummary(outcome, checkRunUrl));
    writeOutputs(settings.outputFile, outputsOf(outcome, checkRunId, sarifFile));
    io.log(`pyward: ${outcome.output.title} (${outcome.output.conclusion})`);
    if (outcome.output.conclusion === 'failure') {
      io.log(workflowCommand('error', { title: 'pyward' }, `${outcome.output.title}: see the job summary${checkRunUrl ? ' and the pyward check run' : ''}`));
      return 1;
    }
    return 0;
  } catch (err) {
    // Starting the check run failed for another reason than a read-only token: nothing was reviewed.
    const status = (err as { status?: number }).status;
    const message = status ? `GitHub answered HTTP ${status}: ${(err as Error).message}` : `internal error: ${(err as Error).stack ?? err}`;
    io.log(workflowCommand('error', { title: 'pyward' }, `pyward could not review this pull request (${message})`));
    appendSummary(settings.summaryFile, `## pyward: not reviewed\n\npyward could not review this pull request: ${message}. Re-run the job.\n`);
    writeOutputs(settings.outputFile, { conclusion: 'failure', findings: '', critical: '', high: '', medium: '', low: '', 'check-run-id': '', 'sarif-file': '' });
    return 1;
  }
}
