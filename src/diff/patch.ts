/**
 * Unified diff -> the lines a change added. Pure and table-tested: lines are 1-based in the new file and
 * ranges inclusive. A file without a patch but with changes (GitHub omits patches of large diffs) counts
 * as wholly changed.
 */

export interface LineRange {
  start: number;
  end: number;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Added lines of one file's patch, merged into ranges in ascending order. */
export function addedRanges(patch: string): LineRange[] {
  const ranges: LineRange[] = [];
  let line = 0;
  let inHunk = false;
  for (const raw of patch.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const hunk = HUNK.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk || text.startsWith('\\')) continue; // "\ No newline at end of file"
    if (text.startsWith('+')) {
      const last = ranges[ranges.length - 1];
      if (last && last.end === line - 1) last.end = line;
      else ranges.push({ start: line, end: line });
      line++;
    } else if (text.startsWith('-')) {
      // removed line: the new file's line number does not advance
    } else {
      line++; // context line (also an empty line inside a hunk)
    }
  }
  return ranges;
}

/** Which lines of which files a change added; `undefined` ranges = the whole file. */
export class AddedLines {
  private readonly files = new Map<string, LineRange[] | 'all'>();

  static fromPatches(files: { path: string; patch?: string; status?: string }[]): AddedLines {
    const added = new AddedLines();
    for (const f of files) {
      if (f.status === 'removed') continue;
      added.files.set(f.path, f.patch === undefined ? 'all' : addedRanges(f.patch));
    }
    return added;
  }

  has(path: string, line: number): boolean {
    const ranges = this.files.get(path);
    if (!ranges) return false;
    if (ranges === 'all') return true;
    return ranges.some((r) => line >= r.start && line <= r.end);
  }

  /** The first added line in [start, end], if any: where a comment on a multi-line finding is anchored. */
  firstAddedIn(path: string, start: number, end: number): number | undefined {
    const ranges = this.files.get(path);
    if (!ranges) return undefined;
    if (ranges === 'all') return start;
    for (const r of ranges) {
      const s = Math.max(r.start, start);
      if (s <= Math.min(r.end, end)) return s;
    }
    return undefined;
  }

  /** True when the whole file counts as added (no patch). */
  wholeFile(path: string): boolean {
    return this.files.get(path) === 'all';
  }
}
