/**
 * The unchanged project modules a pull request's Python files import, read at the head commit so data flow
 * can follow calls into them: one GraphQL query per batch of paths (`object(expression: "<sha>:<path>")`
 * per alias; a path that does not exist comes back null), within pyward's per-review bounds.
 */
import type { Logger, ProbotOctokit } from 'probot';
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { isPythonPath } from '../engine/scan-change.js';
import { CONTEXT_LIMITS, readContext, type ContextBlob, type ContextLimits } from '../engine/read-context.js';
import { readSettingsContext, remainingLimits, type SettingsContextLimits } from '../engine/read-settings-context.js';
import type { ChangeSet } from '../engine/types.js';

/**
 * A GraphQL string literal: quotes and backslashes escaped, everything outside printable ASCII as `\uXXXX`
 * (UTF-16 units; a pair for astral characters), so no path can end the literal or the query.
 */
export function graphqlString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += text[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** One query for `paths` at `sha`: alias `m<i>` is `paths[i]`. */
export function blobsQuery(sha: string, paths: readonly string[]): string {
  const fields = paths.map((p, i) => `m${i}: object(expression: ${graphqlString(`${sha}:${p}`)}) { ... on Blob { text byteSize isBinary isTruncated } }`);
  return `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
}

interface BlobAnswer {
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
}

export async function readBlobsAt(octokit: ProbotOctokit, at: { owner: string; repo: string }, sha: string, paths: string[]): Promise<Map<string, ContextBlob>> {
  const answer = await octokit.graphql<{ repository: Record<string, BlobAnswer | null> | null }>(blobsQuery(sha, paths), { owner: at.owner, name: at.repo });
  const found = new Map<string, ContextBlob>();
  paths.forEach((path, i) => {
    const blob = answer.repository?.[`m${i}`];
    // null: no such path; {} (no Blob fields): a folder or a submodule by that name.
    if (!blob || blob.byteSize === undefined) return;
    if (blob.isBinary || typeof blob.text !== 'string') found.set(path, { unusable: 'binary' });
    else if (blob.isTruncated) found.set(path, { unusable: 'truncated' });
    else found.set(path, { head: blob.text, size: blob.byteSize });
  });
  return found;
}

/** One query listing the entries of `dirs` at `sha` (`''`: the root): alias `t<i>` is `dirs[i]`. */
export function treesQuery(sha: string, dirs: readonly string[]): string {
  const fields = dirs.map((d, i) => `t${i}: object(expression: ${graphqlString(`${sha}:${d.replace(/\/$/, '')}`)}) { ... on Tree { entries { name type } } }`);
  return `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
}

export async function listTreesAt(octokit: ProbotOctokit, at: { owner: string; repo: string }, sha: string, dirs: string[]): Promise<Map<string, string[]>> {
  const answer = await octokit.graphql<{ repository: Record<string, { entries?: { name: string; type: string }[] } | null> | null }>(treesQuery(sha, dirs), { owner: at.owner, name: at.repo });
  const out = new Map<string, string[]>();
  dirs.forEach((dir, i) => {
    const entries = answer.repository?.[`t${i}`]?.entries;
    if (entries) out.set(dir, entries.filter((e) => e.type === 'blob').map((e) => e.name));
  });
  return out;
}

/** A failed GraphQL read as one short sentence for the summary (the details go to the log). */
function readFailure(err: unknown): Error {
  const { status, errors } = err as { status?: number; errors?: { message?: string }[] };
  const why = errors?.[0]?.message ?? (err as Error).message?.split('\n')[0] ?? 'an error';
  return new Error(status ? `GitHub answered ${status}` : `GitHub's GraphQL API answered: ${why.slice(0, 200)}`);
}

export interface ContextOptions {
  parser: Parser;
  config: Config;
  /** Whether any selected rule uses data flow. */
  dataflow: boolean;
  isIgnored?: (path: string) => boolean;
  log?: Pick<Logger, 'warn'>;
  limits?: ContextLimits;
  /** Whether any selected rule judges framework settings (PW2xx, B201): then settings modules' surroundings are read. */
  settings?: boolean;
  settingsLimits?: SettingsContextLimits;
  /** Throws to stop the review while changed files are parsed for their imports (see read-context.ts). */
  checkpoint?: () => void;
}

/**
 * `change` with `project` (the files around a changed settings module: settings-context reads) when settings
 * rules are selected, and `context` (imported modules) when data flow is on, within one per-review bound;
 * never throws for a failed read.
 */
export async function withContextModules(octokit: ProbotOctokit, at: { owner: string; repo: string }, change: ChangeSet, options: ContextOptions): Promise<ChangeSet> {
  const limits = options.limits ?? CONTEXT_LIMITS;
  const settings = options.settings
    ? await readSettingsContext(change, {
        parser: options.parser,
        batchSize: limits.batchSize,
        ...(options.settingsLimits ? { limits: options.settingsLimits } : {}),
        ...(options.isIgnored ? { isIgnored: options.isIgnored } : {}),
        source: {
          read: async (paths) => {
            try {
              return await readBlobsAt(octokit, at, change.headSha, paths);
            } catch (err) {
              options.log?.warn({ err }, 'reading the files around a settings module failed');
              throw readFailure(err);
            }
          },
          list: async (dirs) => {
            try {
              return await listTreesAt(octokit, at, change.headSha, dirs);
            } catch (err) {
              options.log?.warn({ err }, 'listing a settings package failed');
              throw readFailure(err);
            }
          },
        },
      })
    : undefined;
  const withSettings = settings ? { ...change, project: { files: settings.files, ...(settings.note ? { note: settings.note } : {}) } } : change;
  if (!options.dataflow || !options.config.dataflow.enabled || !change.files.some((f) => isPythonPath(f.path) && f.head !== undefined)) return withSettings;
  const context = await readContext(change, {
    parser: options.parser,
    limits: remainingLimits(limits, settings),
    ...(options.isIgnored ? { isIgnored: options.isIgnored } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    read: async (paths) => {
      try {
        return await readBlobsAt(octokit, at, change.headSha, paths);
      } catch (err) {
        options.log?.warn({ err }, 'reading imported modules for data flow failed');
        throw readFailure(err);
      }
    },
  });
  return context ? { ...withSettings, context } : withSettings;
}
