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

/**
 * git (and GitHub's patch) split a file on LF only, while the analysis also ends a line at a lone CR, as
 * CPython does. For content with a lone CR: the analysis line each git line starts on (index 0 = git line
 * 1), plus one past the last. Undefined when the content has no lone CR (both views agree). Works on the
 * bytes: CR and LF are the same bytes in every ASCII-compatible encoding.
 */
export function bareCrLineStarts(content: Uint8Array | string): number[] | undefined {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const cr = bytes.indexOf(0x0d);
  if (cr < 0) return undefined;
  let bare = false;
  for (let i = cr; i < bytes.length && !bare; i++) if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) bare = true;
  if (!bare) return undefined;
  const starts = [1];
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) starts.push(++line);
    else if (b === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  starts.push(line + 1);
  return starts;
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

  /**
   * Turns `path`'s ranges from git's lines into the analysis's lines when `content` has lone CRs: every line
   * inside an added git line is added (a CR-only file is one git line, so all of it counts when it changed).
   */
  splitBareCr(path: string, content: Uint8Array | string): void {
    const ranges = this.files.get(path);
    if (!ranges || ranges === 'all') return;
    const bytes = typeof content === 'string' ? undefined : content;
    // UTF-16/32 put NULs between CR and LF: the byte count below would not hold, so all of it counts.
    if (bytes && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe))) {
      if (bytes.includes(0x0d)) this.files.set(path, 'all');
      return;
    }
    const starts = bareCrLineStarts(content);
    if (!starts) return;
    const at = (gitLine: number) => starts[Math.min(gitLine, starts.length) - 1];
    this.files.set(
      path,
      ranges.map((r) => ({ start: at(r.start), end: at(r.end + 1) - 1 })),
    );
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
