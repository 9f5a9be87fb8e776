/**
 * The hidden marker each inline comment carries, so a later push can tell which findings were already
 * commented: the dedupe state lives in the comments themselves, nothing is stored elsewhere.
 */

const MARKER = /<!--\s*pyward:fingerprint\s*=\s*([^\s>]+?)\s*-->/g;

/** An HTML comment, invisible in the rendered comment. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- pyward:fingerprint=${fingerprint} -->`;
}

/** Every fingerprint marked in a comment body, in order; tolerant of whitespace an editor may have added. */
export function parseFingerprints(body: string): string[] {
  return [...body.matchAll(MARKER)].map((m) => m[1]);
}
