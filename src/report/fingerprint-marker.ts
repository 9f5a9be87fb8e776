/**
 * The hidden marker each inline comment carries, so a later push can tell which findings were already
 * commented: the dedupe state lives in the comments themselves, nothing is stored elsewhere.
 *
 * A marker counts only as pyward writes it: alone on its line, outside any fenced code block. pyward's own
 * ```suggestion block copies the pull request's line, which may carry a forged marker, and a fingerprint is
 * a computable hash; who wrote the comment is the caller's check (see `src/app/publisher.ts`).
 */
import { htmlCommentText } from './markdown.js';

const MARKER_LINE = /^ {0,3}<!-- pyward:fingerprint=([0-9a-f]{1,64}) -->\s*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** An HTML comment, invisible in the rendered comment. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- pyward:fingerprint=${htmlCommentText(fingerprint)} -->`;
}

/** The fingerprints marked in a comment body, in order: marker lines outside fenced code blocks only. */
export function parseFingerprints(body: string): string[] {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (fence) {
      const close = /^ {0,3}(`+|~+)\s*$/.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain a backtick; such a line opens nothing.
    if (open && !(open[1][0] === '`' && line.slice(line.indexOf(open[1]) + open[1].length).includes('`'))) {
      fence = { char: open[1][0], length: open[1].length };
      continue;
    }
    const m = MARKER_LINE.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}
