/**
 * Walks `-r` / `-c` includes from one requirements file through a set of files already read (pure: the
 * caller supplies the texts). Paths resolve relative to the including file, as pip does.
 */
import type { ExtractResult } from '../../types.js';
import { extract } from './extract.js';

export interface IncludedFile {
  path: string;
  /** `entry` for the starting file; else how pip would read it (the include line decides, as in pip). */
  kind: 'entry' | 'requirement' | 'constraint';
  /** The include line that first reached this file. */
  via?: { path: string; line: number };
  result: ExtractResult;
}

export interface SkippedInclude {
  /** The including file and line. */
  path: string;
  line: number;
  text: string;
  reason: string;
}

export interface ResolvedIncludes {
  /** Every file reached, each once, in depth-first order from the entry. */
  files: IncludedFile[];
  skipped: SkippedInclude[];
}

/** `a/b/../c/./d` -> `a/c/d`; undefined when `..` climbs above the root. */
export function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

export function resolveIncludePath(includingFile: string, target: string): string | undefined {
  const slash = includingFile.lastIndexOf('/');
  const dir = slash >= 0 ? includingFile.slice(0, slash) : '';
  return normalizePath(dir === '' ? target : `${dir}/${target}`);
}

export function resolveIncludes(files: Map<string, string>, entry: string): ResolvedIncludes {
  const out: ResolvedIncludes = { files: [], skipped: [] };
  const start = normalizePath(entry) ?? entry;
  const text = files.get(start) ?? files.get(entry);
  if (text === undefined) {
    out.skipped.push({ path: entry, line: 0, text: entry, reason: `file not found: ${entry}` });
    return out;
  }
  const seen = new Set<string>();
  const visit = (path: string, content: string, kind: IncludedFile['kind'], stack: string[], via?: IncludedFile['via']): void => {
    seen.add(`${kind === 'constraint' ? 'c' : 'r'}:${path}`);
    const result = extract(content, path);
    out.files.push({ path, kind, ...(via ? { via } : {}), result });
    for (const include of result.includes ?? []) {
      const written = `${include.kind === 'requirement' ? '-r' : '-c'} ${include.path}`;
      const skip = (reason: string): void => {
        out.skipped.push({ path, line: include.line, text: written, reason });
      };
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) {
        skip('remote include (URL) is not fetched');
        continue;
      }
      if (include.path.startsWith('/')) {
        skip('absolute include path is outside the repository');
        continue;
      }
      const target = resolveIncludePath(path, include.path);
      if (target === undefined) {
        skip(`include path climbs above the repository root: ${include.path}`);
        continue;
      }
      if (stack.includes(target)) {
        skip(`include cycle: ${[...stack.slice(stack.indexOf(target)), target].join(' -> ')}`);
        continue;
      }
      if (seen.has(`${include.kind === 'constraint' ? 'c' : 'r'}:${target}`)) continue;
      const targetText = files.get(target);
      if (targetText === undefined) {
        skip(`included file not found: ${target}`);
        continue;
      }
      visit(target, targetText, include.kind, [...stack, target], { path, line: include.line });
    }
  };
  visit(start, text, 'entry', [start]);
  return out;
}
