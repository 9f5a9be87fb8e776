/**
 * Bytes -> Python source text, the way CPython reads a module (PEP 263): a UTF-8 BOM wins, then a coding
 * cookie on line 1 or 2 (any codec CPython knows, see codecs.ts), else UTF-8. Binary and undecodable files
 * are refused with a reason, never guessed.
 */

import iconv from 'iconv-lite';
import { lookupCodec, type CodecDecoder } from './codecs.js';
import { decodeUtf7 } from './utf7.js';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

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
    if (m) return m[1];
    // PEP 263: the cookie may be on line 2 only if line 1 is a comment or blank.
    if (!/^\s*(#.*)?$/.test(head[i])) break;
  }
  return undefined;
}

export function decodePythonSource(bytes: Uint8Array): Decoded {
  if (bytes.indexOf(0) !== -1) return { ok: false, reason: 'binary file (contains NUL bytes), not Python source' };
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeWith(bytes.subarray(3), 'utf-8', { own: 'utf-8' });
  const declared = cookieEncoding(bytes);
  if (!declared) return decodeWith(bytes, 'utf-8', { own: 'utf-8' });
  const codec = lookupCodec(declared);
  if (!codec.ok) return { ok: false, reason: codec.reason };
  // As CPython compiles a module's bytes: the whole file, cookie line included, goes through the codec.
  return decodeWith(bytes, codec.codec, codec.decoder);
}

function decodeWith(bytes: Uint8Array, codec: string, decoder: CodecDecoder): Decoded {
  const invalid = (detail = ''): Decoded => ({ ok: false, reason: `not valid ${codec} text${detail} (declare the encoding with a coding cookie, PEP 263)` });
  if ('iconv' in decoder) return { ok: true, text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), decoder.iconv, { stripBOM: !decoder.keepBom }), encoding: codec };
  if (decoder.own === 'utf-7') {
    const r = decodeUtf7(bytes);
    return r.ok ? { ok: true, text: r.text, encoding: codec } : invalid(` (${r.reason} at byte ${r.offset})`);
  }
  if (decoder.own === 'ascii') {
    const bad = bytes.findIndex((b) => b > 127);
    return bad === -1 ? { ok: true, text: Buffer.from(bytes).toString('latin1'), encoding: codec } : invalid(` (byte 0x${bytes[bad].toString(16)} at ${bad})`);
  }
  const label = decoder.own === 'utf-8-sig' ? 'utf-8' : decoder.own;
  let textDecoder: InstanceType<typeof TextDecoder>;
  try {
    // utf-8 keeps a BOM after the cookie's check as CPython does; utf-8-sig drops one.
    textDecoder = new TextDecoder(label, { fatal: true, ignoreBOM: decoder.own !== 'utf-8-sig' });
  } catch {
    return { ok: false, reason: `the coding cookie declares '${codec}', a codec this Node.js build cannot decode; the file was not analysed` };
  }
  try {
    return { ok: true, text: textDecoder.decode(bytes), encoding: codec === 'utf_8' ? 'utf-8' : codec };
  } catch {
    return invalid();
  }
}
