/** pip's preprocessing of a requirements file: join `\` continuations, then drop comments. */
import { splitLines } from '../text-lines.js';

export interface LogicalLine {
  /** 1-based line where the logical line starts. */
  line: number;
  /** Comment removed, trimmed, never empty. */
  text: string;
}

/** pip's COMMENT_RE: `#` at the start of a line or after whitespace (so `#egg=` in a URL stays). */
const COMMENT = /(^|\s+)#.*$/;

/**
 * Mirrors pip's `join_lines` + `ignore_comments`: a line ending in `\` continues on the next one unless it
 * holds a comment; a comment line ends a pending continuation.
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const emit = (line: number, raw: string): void => {
    const stripped = raw.replace(COMMENT, '').trim();
    if (stripped !== '') out.push({ line, text: stripped });
  };
  let pending: string[] = [];
  let start = 0;
  splitLines(text).forEach((raw, index) => {
    const lineNo = index + 1;
    const isComment = COMMENT.test(raw);
    if (!raw.endsWith('\\') || isComment) {
      const piece = isComment ? ` ${raw}` : raw;
      if (pending.length > 0) {
        pending.push(piece);
        emit(start, pending.join(''));
        pending = [];
      } else {
        emit(lineNo, piece);
      }
    } else {
      if (pending.length === 0) start = lineNo;
      pending.push(raw.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (pending.length > 0) emit(start, pending.join(''));
  return out;
}
