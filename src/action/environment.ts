/**
 * What the Actions runner hands a step: `INPUT_*` variables (named as in action.yml, upper-cased, hyphens
 * kept: `INPUT_FAIL-ON`), `GITHUB_*` variables and the event payload file. Parsed here, at the boundary;
 * only the fields pyward uses are read, and what decides the review (numbers, SHAs) is strict.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { CONFIG_PATH } from '../app/repo-config.js';

export interface ActionSettings {
  token: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  owner: string;
  repo: string;
  configPath: string;
  failOn?: Severity;
  /** PYWARD_ADVISORY_DB / PYWARD_OSV_URL for the advisory source, from the inputs. */
  advisoryEnv: { PYWARD_ADVISORY_DB?: string; PYWARD_OSV_URL?: string };
  sarifFile?: string;
  outputFile?: string;
  summaryFile?: string;
  /** Link from the check run to this workflow run. */
  runUrl?: string;
  pr: { number: number; baseSha: string; headSha: string; draft: boolean; state: string };
  defaultBranch: string;
  htmlUrl: string;
}

const sha = z.string().regex(/^[0-9a-f]{40}$/i, 'a 40-character commit SHA');

const pullRequestEvent = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.string().optional(),
    draft: z.boolean().optional(),
    base: z.object({ sha }),
    head: z.object({ sha }),
  }),
  repository: z.object({
    name: z.string().min(1),
    owner: z.object({ login: z.string().min(1) }),
    default_branch: z.string().optional(),
    html_url: z.string().optional(),
  }),
});

/** Events whose payload is a pull request. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

export class ActionInputError extends Error {}

/** An input as the runner sets it; empty means not given. */
export function input(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return value ? value : undefined;
}

function severity(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new ActionInputError(`input fail-on must be one of ${SEVERITIES.join(', ')} (got '${value}')`);
  return v as Severity;
}

export function readSettings(env: NodeJS.ProcessEnv, readFile: (path: string) => string): ActionSettings {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!PULL_REQUEST_EVENTS.includes(event)) {
    throw new ActionInputError(`pyward reviews pull requests: run it on \`pull_request\` (this run is for \`${event || 'no event'}\`); for other events use \`pyward scan\``);
  }
  const token = input(env, 'github-token') ?? env.GITHUB_TOKEN?.trim();
  if (!token) throw new ActionInputError('no token: pass `github-token` (default: the workflow\'s GITHUB_TOKEN)');
  if (!env.GITHUB_EVENT_PATH) throw new ActionInputError('GITHUB_EVENT_PATH is not set: this must run as a step of a GitHub Actions job');
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(env.GITHUB_EVENT_PATH));
  } catch (err) {
    throw new ActionInputError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
  }
  const parsed = pullRequestEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ActionInputError(`the ${event} payload has no usable pull request (${issue.path.join('.')}: ${issue.message})`);
  }
  const { pull_request: pr, repository } = parsed.data;
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const owner = repository.owner.login;
  const repo = repository.name;
  const advisoryDb = input(env, 'advisory-db');
  const osvUrl = input(env, 'osv-url');
  return {
    token,
    apiUrl,
    serverUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    owner,
    repo,
    configPath: input(env, 'config') ?? CONFIG_PATH,
    ...(input(env, 'fail-on') ? { failOn: severity(input(env, 'fail-on')) } : {}),
    advisoryEnv: { ...(advisoryDb ? { PYWARD_ADVISORY_DB: advisoryDb } : {}), ...(osvUrl ? { PYWARD_OSV_URL: osvUrl } : {}) },
    ...(input(env, 'sarif-file') ? { sarifFile: input(env, 'sarif-file') } : {}),
    ...(env.GITHUB_OUTPUT ? { outputFile: env.GITHUB_OUTPUT } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { summaryFile: env.GITHUB_STEP_SUMMARY } : {}),
    ...(env.GITHUB_RUN_ID ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
    pr: { number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha, draft: pr.draft ?? false, state: pr.state ?? 'open' },
    defaultBranch: repository.default_branch ?? '',
    htmlUrl: repository.html_url ?? `${serverUrl}/${owner}/${repo}`,
  };
}
