/**
 * The unchanged project modules a change's Python files import, read through the change source's port at
 * the head commit, within a per-review bound, for data flow only (`ChangeSet.context`). Two levels: the
 * modules the changed files import, then the modules those import. The bound and the lookups left out are
 * said in `note`; a failed read (the source down or rate-limited after its retries) in `unavailable`, which
 * makes the review incomplete (fail closed). Nothing here throws for them: the review goes on with what it has.
 */
import type { Parser } from 'web-tree-sitter';
import { decodePythonSource } from '../python/decode.js';
import { contextCandidates, type ImportingFile } from './context-modules.js';
import { isPythonPath } from './scan-change.js';
import type { ChangeSet } from './types.js';

/** What the port found at one path: its content and size, or why it is of no use. Missing paths are left out. */
export type ContextBlob = { head: Uint8Array | string; size: number } | { unusable: 'binary' | 'truncated' };

/** Reads one batch of paths at the head commit; throws when the source fails (not for a missing path). */
export type ContextReader = (paths: string[]) => Promise<Map<string, ContextBlob>>;

export interface ContextLimits {
  /** Modules read per review. */
  maxFiles: number;
  /** Bytes read per review. */
  maxBytes: number;
  /** Paths asked in one read (one GraphQL query, one git call). */
  batchSize: number;
  /** Paths looked up per review, all levels together (most guesses do not exist). */
  maxLookups: number;
}

/**
 * pyward's bounds per review, for the app and `scan --diff` alike. 50 modules and 2 MiB cover the helpers a
 * change calls into; a batch of 100 paths is one GraphQL query well inside GitHub's node and time limits;
 * 300 lookups is three such queries, most of them guesses for third-party imports that do not exist.
 */
export const CONTEXT_LIMITS: ContextLimits = { maxFiles: 50, maxBytes: 2 * 1048576, batchSize: 100, maxLookups: 300 };

export interface ReadContextOptions {
  parser: Parser;
  read: ContextReader;
  limits: ContextLimits;
  /** Paths known to exist (a local tree); undefined = every guess is asked. */
  known?: ReadonlySet<string>;
  isIgnored?: (path: string) => boolean;
  /** Levels of imports followed: 1 = what the changed files import, 2 = also what those modules import. */
  levels?: number;
  /** Called before and while each file is parsed for its imports; throws to stop the review (see context-modules.ts). */
  checkpoint?: () => void;
}

function textOf(head: Uint8Array | string): string | undefined {
  if (typeof head === 'string') return head;
  const decoded = decodePythonSource(head);
  return decoded.ok ? decoded.text : undefined;
}

const mb = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

/** undefined when no changed Python file was read (nothing to follow). */
export async function readContext(change: ChangeSet, options: ReadContextOptions): Promise<ChangeSet['context']> {
  const { limits } = options;
  let importing: ImportingFile[] = [];
  for (const f of change.files) {
    if (!isPythonPath(f.path) || f.status === 'removed' || f.head === undefined || options.isIgnored?.(f.path)) continue;
    const text = textOf(f.head);
    if (text !== undefined) importing.push({ path: f.path, text });
  }
  if (!importing.length) return undefined;

  const seen = new Set([...change.files.flatMap((f) => [f.path, ...(f.previousPath ? [f.previousPath] : [])]), ...change.skipped.map((s) => s.path)]);
  const files: { path: string; head: Uint8Array | string }[] = [];
  let bytes = 0;
  let existing = 0;
  let lookups = 0;
  let notLookedUp = 0;
  let failure: string | undefined;
  const full = () => files.length >= limits.maxFiles || bytes >= limits.maxBytes;
  for (let level = 1; level <= (options.levels ?? 2) && importing.length; level++) {
    const candidates = contextCandidates(options.parser, importing, {
      exclude: seen,
      ...(options.known ? { known: options.known } : {}),
      ...(options.isIgnored ? { isIgnored: options.isIgnored } : {}),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    });
    for (const c of candidates) seen.add(c);
    const asked = failure || full() ? [] : candidates.slice(0, Math.max(0, limits.maxLookups - lookups));
    notLookedUp += candidates.length - asked.length;
    const next: ImportingFile[] = [];
    for (let i = 0; i < asked.length; i += limits.batchSize) {
      const batch = asked.slice(i, i + limits.batchSize);
      if (failure || full()) {
        notLookedUp += batch.length;
        continue;
      }
      let found: Map<string, ContextBlob>;
      try {
        found = await options.read(batch);
      } catch (err) {
        failure = (err as Error).message || String(err);
        notLookedUp += batch.length;
        continue;
      }
      lookups += batch.length;
      for (const path of batch) {
        const blob = found.get(path);
        if (!blob || 'unusable' in blob) continue;
        existing++;
        // A file over what is left of the byte bound is left out; smaller ones after it may still fit.
        if (files.length >= limits.maxFiles || bytes + blob.size > limits.maxBytes) continue;
        files.push({ path, head: blob.head });
        bytes += blob.size;
        const text = textOf(blob.head);
        if (text !== undefined) next.push({ path, text });
      }
    }
    importing = next;
  }

  const notes: string[] = [];
  const unread = existing - files.length;
  const limit = `limit ${limits.maxFiles} files / ${mb(limits.maxBytes)} per review`;
  if (unread > 0) {
    notes.push(`data flow read ${files.length} of ${notLookedUp ? 'at least ' : ''}${existing} imported project modules (${limit}); flows through the others were not followed`);
  } else if (full() && notLookedUp) {
    notes.push(`data flow read ${files.length} imported project modules and stopped there (${limit}); flows through further imports were not followed`);
  } else if (notLookedUp && !failure) {
    notes.push(`data flow looked up ${lookups} of ${lookups + notLookedUp} places where imported modules could be (limit ${limits.maxLookups} per review); flows into modules it did not find were not followed`);
  }
  // A failed read is not a bound pyward chose: the review did not look where it meant to, so it is incomplete.
  const unavailable = failure
    ? `data flow could not read the imported project modules${files.length ? ` beyond the first ${files.length}` : ''} (${failure}); flows through them were not followed`
    : undefined;
  return { files, ...(notes.length ? { note: notes.join('; ') } : {}), ...(unavailable ? { unavailable } : {}) };
}
