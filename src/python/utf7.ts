/**
 * UTF-7 (RFC 2152) decoding as CPython's strict `utf_7` codec does it (Objects/unicodeobject.c,
 * PyUnicode_DecodeUTF7Stateful): the same direct characters, the same errors. A coding cookie can declare
 * `utf-7`, and what the decoder accepts decides what code CPython runs, so it must not be more lenient
 * (iconv-lite's decoder is) nor stricter.
 */

export type Utf7Result = { ok: true; text: string } | { ok: false; reason: string; offset: number };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) VALUE[BASE64.charCodeAt(i)] = i;

const PLUS = 0x2b;
const MINUS = 0x2d;
const isBase64 = (c: number) => c < 128 && VALUE[c] !== -1;
const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

export function decodeUtf7(bytes: Uint8Array): Utf7Result {
  const out: string[] = [];
  let inShift = false;
  let bits = 0;
  let buffer = 0;
  let surrogate = 0;
  let shiftStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    if (inShift) {
      if (isBase64(c)) {
        buffer = (buffer << 6) | VALUE[c];
        bits += 6;
        i++;
        if (bits >= 16) {
          const unit = buffer >>> (bits - 16);
          bits -= 16;
          buffer &= (1 << bits) - 1;
          if (surrogate) {
            if (isLow(unit)) {
              out.push(String.fromCharCode(surrogate, unit));
              surrogate = 0;
              continue;
            }
            out.push(String.fromCharCode(surrogate));
            surrogate = 0;
          }
          if (isHigh(unit)) surrogate = unit;
          else out.push(String.fromCharCode(unit));
        }
        continue;
      }
      // Leaving the base64 section: at most 5 zero bits may be left over.
      inShift = false;
      if (bits >= 6) return { ok: false, reason: 'partial character in shift sequence', offset: shiftStart };
      if (bits > 0 && buffer !== 0) return { ok: false, reason: 'non-zero padding bits in shift sequence', offset: shiftStart };
      if (surrogate && c < 128 && c !== PLUS) out.push(String.fromCharCode(surrogate));
      surrogate = 0;
      if (c === MINUS) i++; // '-' ends the section and is absorbed; any other character is kept
      continue;
    }
    if (c === PLUS) {
      shiftStart = i;
      i++;
      if (i < bytes.length && bytes[i] === MINUS) {
        i++;
        out.push('+');
      } else if (i < bytes.length && !isBase64(bytes[i])) {
        return { ok: false, reason: 'ill-formed sequence', offset: shiftStart };
      } else {
        inShift = true;
        bits = 0;
        buffer = 0;
        surrogate = 0;
      }
      continue;
    }
    if (c < 128) {
      out.push(String.fromCharCode(c));
      i++;
      continue;
    }
    return { ok: false, reason: 'unexpected special character', offset: i };
  }
  if (inShift && (surrogate || bits >= 6 || (bits > 0 && buffer !== 0))) return { ok: false, reason: 'unterminated shift sequence', offset: shiftStart };
  return { ok: true, text: out.join('') };
}
