/**
 * Checksums that credential formats carry, so a string that only looks like a token (a typo, a made-up
 * example, a truncated copy) is told apart from one that a service issued.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib) of the bytes of an ASCII string. */
export function crc32(ascii: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++) crc = CRC_TABLE[(crc ^ ascii.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Digits, then upper case, then lower case: the alphabet of GitHub's and npm's token checksums. */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  do {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's (`npm_`): a 4-character prefix,
 * 30 random base62 characters, then the CRC-32 of those 30 characters in 6 base62 digits.
 */
export function hasBase62Crc32(token: string, prefixLength = 4): boolean {
  const body = token.slice(prefixLength);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Appends the checksum to 30 random characters: how the services mint them (tests build fixtures with it). */
export function withBase62Crc32(prefix: string, random30: string): string {
  return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}

/**
 * A PyPI API token is `pypi-` and a base64url macaroon (libmacaroons' v2 binary format): version byte 2, a
 * location field `pypi.org`, an identifier field, ..., and a 32-byte signature field at the end.
 */
export function isPypiMacaroon(token: string): boolean {
  const bytes = Buffer.from(token.replace(/^pypi-/, ''), 'base64url');
  const head = Buffer.from([2, 1, 8, ...Buffer.from('pypi.org')]);
  if (bytes.length < head.length + 40 || !bytes.subarray(0, head.length).equals(head)) return false;
  if (bytes[head.length] !== 2) return false; // the identifier field follows the location
  return bytes[bytes.length - 34] === 6 && bytes[bytes.length - 33] === 32;
}
