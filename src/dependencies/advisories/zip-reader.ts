/**
 * A minimal zip reader for OSV's `all.zip` exports: the central directory (zip64 included), stored and
 * deflated entries, CRC-checked. No encryption, no multi-disk archives: OSV does not produce them.
 */
import * as zlib from 'node:zlib';

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

export interface ZipEntry {
  name: string;
  /** Uncompressed size as the central directory states it. */
  size: number;
  /** The entry's bytes; throws ZipFormatError when the entry is damaged or uses an unsupported method. */
  read(): Buffer;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

// zlib.crc32 arrived in Node 20.15; without it the length check still catches truncation.
const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** True when the bytes start like a zip file (a local header, or an empty archive's end record). */
export function looksLikeZip(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const sig = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0);
  return sig === LOCAL || sig === EOCD;
}

function findEnd(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes.
  const stop = Math.max(0, buf.length - 22 - MAX_U16);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ZipFormatError('no end-of-central-directory record (not a zip file, or truncated)');
}

function need(buf: Buffer, offset: number, length: number, what: string): void {
  if (offset < 0 || offset + length > buf.length) throw new ZipFormatError(`${what} lies outside the file (truncated?)`);
}

function directory(buf: Buffer): { count: number; offset: number } {
  const end = findEnd(buf);
  let count = buf.readUInt16LE(end + 10);
  let offset = buf.readUInt32LE(end + 16);
  if (count === MAX_U16 || offset === MAX_U32) {
    const locator = end - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ZipFormatError('zip64 archive without its locator');
    const at = Number(buf.readBigUInt64LE(locator + 8));
    need(buf, at, 56, 'the zip64 end record');
    if (buf.readUInt32LE(at) !== ZIP64_EOCD) throw new ZipFormatError('bad zip64 end record');
    count = Number(buf.readBigUInt64LE(at + 32));
    offset = Number(buf.readBigUInt64LE(at + 48));
  }
  return { count, offset };
}

/** Values a zip64 "extra field" replaces, in the order the format fixes. */
function zip64Extra(extra: Buffer, fields: { size: number; compressed: number; local: number }) {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const take = () => {
        if (q + 8 > p + 4 + len) throw new ZipFormatError('short zip64 extra field');
        const v = Number(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (fields.size === MAX_U32) fields.size = take();
      if (fields.compressed === MAX_U32) fields.compressed = take();
      if (fields.local === MAX_U32) fields.local = take();
      break;
    }
    p += 4 + len;
  }
}

/** The archive's file entries (directories left out). Throws ZipFormatError when the directory is unreadable. */
export function readZip(buf: Buffer): ZipEntry[] {
  const { count, offset } = directory(buf);
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    need(buf, p, 46, 'a central directory entry');
    if (buf.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError(`bad central directory entry ${n}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    need(buf, p + 46, nameLength + extraLength, 'a central directory entry');
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    const fields = { size: buf.readUInt32LE(p + 24), compressed: buf.readUInt32LE(p + 20), local: buf.readUInt32LE(p + 42) };
    zip64Extra(buf.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), fields);
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;

    entries.push({
      name,
      size: fields.size,
      read() {
        if (flags & 0x1) throw new ZipFormatError(`${name}: encrypted`);
        need(buf, fields.local, 30, `${name}: local header`);
        if (buf.readUInt32LE(fields.local) !== LOCAL) throw new ZipFormatError(`${name}: bad local header`);
        const start = fields.local + 30 + buf.readUInt16LE(fields.local + 26) + buf.readUInt16LE(fields.local + 28);
        need(buf, start, fields.compressed, `${name}: data`);
        const raw = buf.subarray(start, start + fields.compressed);
        let data: Buffer;
        if (method === 0) data = raw;
        else if (method === 8) {
          try {
            data = zlib.inflateRawSync(raw);
          } catch (err) {
            throw new ZipFormatError(`${name}: ${(err as Error).message}`);
          }
        } else throw new ZipFormatError(`${name}: unsupported compression method ${method}`);
        if (data.length !== fields.size) throw new ZipFormatError(`${name}: ${data.length} bytes, the directory says ${fields.size}`);
        if (crc32 && crc32(data) >>> 0 !== crc) throw new ZipFormatError(`${name}: CRC mismatch`);
        return data;
      },
    });
  }
  return entries;
}
