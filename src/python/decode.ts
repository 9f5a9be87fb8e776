/**
 * Bytes -> Python source text, the way CPython reads a module (PEP 263): a UTF-8 BOM wins, then a coding
 * cookie on line 1 or 2, else UTF-8. Binary and undecodable files are refused with a reason, never guessed.
 */

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Python codec names -> WHATWG TextDecoder labels, for the ones that differ. */
const CODEC_ALIASES: Record<string, string> = {
  'latin-1': 'latin1',
  latin_1: 'latin1',
  'iso-latin-1': 'latin1',
  l1: 'latin1',
  'utf-8-sig': 'utf-8',
  utf8: 'utf-8',
  utf_8: 'utf-8',
  cp1252: 'windows-1252',
  ascii: 'utf-8', // ASCII is a subset; non-ASCII bytes then fail as they would in CPython
  'us-ascii': 'utf-8',
};

function cookieEncoding(bytes: Uint8Array): string | undefined {
  // Only the first two lines can carry the cookie, and they are ASCII by definition.
  let end = 0;
  let newlines = 0;
  while (end < bytes.length && end < 400 && newlines < 2) {
    if (bytes[end] === 0x0a) newlines++;
    end++;
  }
  const head = Buffer.from(bytes.subarray(0, end)).toString('latin1').split(/\r?\n|\r/);
  for (let i = 0; i < Math.min(2, head.length); i++) {
    const m = COOKIE.exec(head[i]);
    if (m) return m[1].toLowerCase();
    // PEP 263: the cookie may be on line 2 only if line 1 is a comment or blank.
    if (!/^\s*(#.*)?$/.test(head[i])) break;
  }
  return undefined;
}

export function decodePythonSource(bytes: Uint8Array): Decoded {
  if (bytes.indexOf(0) !== -1) return { ok: false, reason: 'binary file (contains NUL bytes), not Python source' };
  let body = bytes;
  let encoding = 'utf-8';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
  } else {
    const declared = cookieEncoding(bytes);
    if (declared) encoding = CODEC_ALIASES[declared] ?? declared;
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return { ok: false, reason: `unknown source encoding '${encoding}' in the coding cookie` };
  }
  try {
    return { ok: true, text: decoder.decode(body), encoding };
  } catch {
    return { ok: false, reason: `not valid ${encoding} text (declare the encoding with a coding cookie, PEP 263)` };
  }
}
