/**
 * The files a change's requirements files include (`-r`, `-c`) that the change source did not hand over,
 * read at the head commit through a port, so their pins are checked as pip would install them. Pure but for
 * the port. Followed: includes on lines the change added, everything those files include in turn, and
 * includes of files the change itself touches. Refused (and listed as not reviewed): URLs, absolute paths,
 * paths climbing out of the repository, symbolic links, anything that is not a regular file, and what goes
 * past the depth, count or byte bounds.
 */
import { extractorNameFor } from '../dependencies/extractors/metas.js';
import { extract } from '../dependencies/extractors/requirements/extract.js';
import { resolveIncludePath } from '../dependencies/extractors/requirements/includes.js';
import { decodePythonSource } from '../python/decode.js';
import type { AddedLines } from '../diff/patch.js';
import type { ChangeSet, IncludeLine } from './types.js';

/** What the port found at one path; a path that does not exist is left out of the map. */
export type IncludeBlob = { head: Uint8Array | string } | { unusable: string };

/** Reads regular files at the head commit, never through a symbolic link; throws when the source fails. */
export type IncludeReader = (paths: string[]) => Promise<Map<string, IncludeBlob>>;

export interface IncludeLimits {
  /** Nesting below a changed file: pip has no bound, real projects use two or three levels. */
  maxDepth: number;
  /** Files read per review. */
  maxFiles: number;
  /** Bytes read per review. */
  maxBytes: number;
}

export const INCLUDE_LIMITS: IncludeLimits = { maxDepth: 5, maxFiles: 20, maxBytes: 10 * 1048576 };

export interface ReadIncludesOptions {
  read: IncludeReader;
  added: AddedLines;
  limits?: IncludeLimits;
  isIgnored?: (path: string) => boolean;
}

interface Pending {
  path: string;
  text: string;
  /** Reached through an include line the change added (or inside a file the change touches). */
  isNew: boolean;
  /** The include line in a handed-over file that leads here. */
  via?: IncludeLine;
  depth: number;
  /** Handed over by the change source: its own diff says which of its lines are new. */
  handed: boolean;
}

function textOf(content: Uint8Array | string): string | undefined {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  const decoded = decodePythonSource(content);
  return decoded.ok ? decoded.text : undefined;
}

const written = (i: { kind: string; path: string }) => `${i.kind === 'requirement' ? '-r' : '-c'} ${i.path}`;

/** `change.includes`, or undefined when no handed-over requirements file includes anything. */
export async function readIncludes(change: ChangeSet, options: ReadIncludesOptions): Promise<ChangeSet['includes']> {
  const limits = options.limits ?? INCLUDE_LIMITS;
  const handed = new Map<string, string>();
  for (const f of change.files) {
    if (f.status === 'removed' || f.head === undefined || !extractorNameFor(f.path) || options.isIgnored?.(f.path)) continue;
    const text = textOf(f.head);
    if (text !== undefined) handed.set(f.path, text);
  }
  const inChange = new Set([...change.files.map((f) => f.path), ...change.skipped.map((s) => s.path)]);
  const out: NonNullable<ChangeSet['includes']> = { files: [], reincluded: [], refused: [] };
  let queue: Pending[] = [...handed].filter(([path]) => extractorNameFor(path) === 'requirements').map(([path, text]) => ({ path, text, isNew: false, depth: 0, handed: true }));
  const visited = new Map<string, boolean>(queue.map((p) => [p.path, false]));
  let bytes = 0;
  let any = false;
  while (queue.length) {
    const toRead = new Map<string, Omit<Pending, 'text'>>();
    const next: Pending[] = [];
    for (const file of queue) {
      for (const include of extract(file.text, file.path).includes ?? []) {
        any = true;
        const lineAdded = file.handed && options.added.has(file.path, include.line);
        const isNew = file.isNew || lineAdded;
        const via: IncludeLine = file.via ?? { path: file.path, line: include.line, text: written(include) };
        const refuse = (reason: string) => out.refused.push({ path: file.path, line: include.line, text: written(include), reason });
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) {
          if (isNew) refuse('a remote include (URL) is not fetched in a review');
          continue;
        }
        const target = include.path.startsWith('/') || /^[a-z]:[\\/]/i.test(include.path) ? undefined : resolveIncludePath(file.path, include.path);
        if (target === undefined) {
          if (isNew) refuse('the path leads outside the repository');
          continue;
        }
        if (target === '') {
          if (isNew) refuse('the path names a folder, not a file');
          continue;
        }
        const changedHere = inChange.has(target) && !handed.has(target);
        // An include the change did not add, of a file it did not touch: nothing new there.
        if (!isNew && !changedHere && !handed.has(target)) continue;
        const targetNew = isNew || changedHere;
        if (visited.get(target) === true || (visited.has(target) && !targetNew)) continue;
        if (options.isIgnored?.(target)) continue;
        if (file.depth + 1 > limits.maxDepth) {
          refuse(`includes nested deeper than ${limits.maxDepth} levels are not followed`);
          continue;
        }
        visited.set(target, targetNew);
        if (handed.has(target)) {
          // Reviewed on its own lines; what it held before is new to this install when the include is.
          if (targetNew) {
            out.reincluded.push({ path: target, via });
            next.push({ path: target, text: handed.get(target)!, isNew: true, via, depth: file.depth + 1, handed: true });
          }
          continue;
        }
        toRead.set(target, { path: target, isNew: true, via, depth: file.depth + 1, handed: false });
      }
    }
    if (toRead.size) {
      const wanted = [...toRead.values()];
      const allowed = wanted.slice(0, Math.max(0, limits.maxFiles - out.files.length));
      for (const w of wanted.slice(allowed.length)) out.refused.push({ ...w.via!, reason: `not read: more than ${limits.maxFiles} included files in one review (${w.path})` });
      let found = new Map<string, IncludeBlob>();
      let failed: string | undefined;
      try {
        if (allowed.length) found = await options.read(allowed.map((w) => w.path));
      } catch (err) {
        failed = `could not be read (${(err as Error).message.split('\n')[0].slice(0, 200)})`;
      }
      for (const w of allowed) {
        const blob = found.get(w.path);
        const refuse = (reason: string) => out.refused.push({ ...w.via!, reason: `${w.path}: ${reason}` });
        if (failed) refuse(failed);
        else if (!blob) refuse('no such file at the head commit');
        else if ('unusable' in blob) refuse(blob.unusable);
        else {
          const size = typeof blob.head === 'string' ? Buffer.byteLength(blob.head) : blob.head.length;
          const text = bytes + size > limits.maxBytes ? undefined : textOf(blob.head);
          if (bytes + size > limits.maxBytes) refuse(`not read: included files over ${limits.maxBytes / 1048576} MiB in one review`);
          else if (text === undefined) refuse('not valid text');
          else {
            bytes += size;
            out.files.push({ path: w.path, head: text, via: w.via! });
            next.push({ ...w, text });
          }
        }
      }
    }
    queue = next;
  }
  return any ? out : undefined;
}
