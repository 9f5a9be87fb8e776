/**
 * The configuration in force for a repository: `.github/pyward.yml` on its default branch (never the PR's
 * copy: a PR must not be able to switch its own checks off), layered over organisation defaults from
 * `_extends` or, when the repository has no file, the organisation's `.github` repository.
 */
import type { ProbotOctokit } from 'probot';
import { configSchema, mergeConfigData, readConfigYaml, type Config, type ConfigError } from '../config/schema.js';
import { ruleConfigErrors, withRuleIdOptions } from '../rules/registry.js';

export const CONFIG_PATH = '.github/pyward.yml';

export type RepoConfig =
  | { ok: true; config: Config; source: string }
  | { ok: false; errors: (ConfigError & { file: string })[]; source: string };

interface RepoCoordinates {
  owner: string;
  repo: string;
}

/**
 * Config files seen, by repository, path and ref, with their ETag: the next review asks GitHub with
 * `If-None-Match`, and an unchanged file comes back as 304, which does not count against the installation's
 * rate limit (every push of every PR reads one to three config files). Bounded; oldest entries go first.
 */
const seen = new Map<string, { etag: string; text: string | undefined }>();
const MAX_SEEN = 2000;

/** Forget the remembered config files (tests). */
export function clearConfigCache(): void {
  seen.clear();
}

function remember(key: string, etag: string | undefined, text: string | undefined): string | undefined {
  seen.delete(key); // an answer without an ETag makes what was remembered stale
  if (!etag) return text;
  seen.set(key, { etag, text });
  if (seen.size > MAX_SEEN) seen.delete(seen.keys().next().value!);
  return text;
}

/** Text of a file on a ref, or undefined when it does not exist. Other errors propagate. */
export async function fileText(octokit: ProbotOctokit, at: RepoCoordinates, path: string, ref?: string): Promise<string | undefined> {
  const key = `${at.owner}/${at.repo}:${path}@${ref ?? ''}`;
  const known = seen.get(key);
  try {
    const res = await octokit.rest.repos.getContent({
      owner: at.owner,
      repo: at.repo,
      path,
      ...(ref ? { ref } : {}),
      ...(known ? { headers: { 'if-none-match': known.etag } } : {}),
    });
    const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
    const data = res.data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(res.data) || data.type !== 'file' || data.content === undefined) return remember(key, etag, undefined);
    return remember(key, etag, Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'));
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 304 && known) return known.text;
    if (status === 404) return undefined;
    throw err;
  }
}

/** `_extends: .github`, `_extends: owner/repo` -> coordinates. */
function extendsTarget(value: string, owner: string): RepoCoordinates | undefined {
  const m = /^(?:([\w.-]+)\/)?([\w.-]+)$/.exec(value.trim());
  return m ? { owner: m[1] ?? owner, repo: m[2] } : undefined;
}

/** Validation errors of a config text, in this file (YAML and schema) and against the rule registry. */
export function checkConfigText(text: string, file: string): { data?: Record<string, unknown>; errors: (ConfigError & { file: string })[] } {
  const read = readConfigYaml(text);
  if (!read.ok) return { errors: read.errors.map((e) => ({ ...e, file })) };
  const problems = ruleConfigErrors(configSchema.parse(read.data));
  return { data: read.data, errors: problems.map((e) => ({ ...e, file })) };
}

/** `path`: the repository's own config file (the Action's `config` input); organisation defaults stay at CONFIG_PATH. */
export async function loadRepoConfig(octokit: ProbotOctokit, at: RepoCoordinates, defaultBranch: string, path = CONFIG_PATH): Promise<RepoConfig> {
  const own = await fileText(octokit, at, path, defaultBranch);
  const layers: { file: string; text: string }[] = [];
  let parent: RepoCoordinates | undefined;
  if (own !== undefined) {
    layers.push({ file: `${at.owner}/${at.repo}:${path}${defaultBranch ? `@${defaultBranch}` : ""}`, text: own });
    const first = checkConfigText(own, layers[0].file);
    const ext = first.data?._extends;
    if (typeof ext === 'string') {
      parent = extendsTarget(ext, at.owner);
      if (!parent) return { ok: false, source: layers[0].file, errors: [{ file: layers[0].file, key: '_extends', message: `'${ext}' is not a repository (use owner/repo or .github)` }] };
    }
  } else if (at.repo !== '.github') {
    parent = { owner: at.owner, repo: '.github' }; // organisation-wide defaults
  }
  if (parent) {
    const inherited = await fileText(octokit, parent, CONFIG_PATH);
    if (inherited !== undefined) layers.unshift({ file: `${parent.owner}/${parent.repo}:${CONFIG_PATH}`, text: inherited });
    else if (own !== undefined && typeof checkConfigText(own, '').data?._extends === 'string') {
      return { ok: false, source: layers[0].file, errors: [{ file: layers[0].file, key: '_extends', message: `${parent.owner}/${parent.repo} has no ${CONFIG_PATH} (or pyward cannot read it)` }] };
    }
  }
  if (layers.length === 0) return { ok: true, config: configSchema.parse({}), source: 'defaults (no .github/pyward.yml)' };
  const source = layers.map((l) => l.file).join(' + ');
  let merged: Record<string, unknown> = {};
  const errors: (ConfigError & { file: string })[] = [];
  for (const layer of layers) {
    const checked = checkConfigText(layer.text, layer.file);
    errors.push(...checked.errors);
    if (checked.data) merged = mergeConfigData(merged, checked.data);
  }
  if (errors.length) return { ok: false, errors, source };
  const { _extends: _, ...rest } = merged;
  return { ok: true, config: withRuleIdOptions(configSchema.parse(rest)), source };
}
