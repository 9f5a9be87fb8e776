/**
 * `pyward advisories update`: download OSV's PyPI export for offline use. The file is written beside its
 * destination under a temporary name, checked (a readable zip with at least one OSV record), then renamed
 * over the destination, so a failed or corrupt download never replaces a good database.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeNetworkError } from './http-json.js';
import { createLocalDbSource } from './local-db.js';
import { AdvisorySourceError } from './source.js';
import { looksLikeZip } from './zip-reader.js';

export const OSV_PYPI_EXPORT_URL = 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip';

export interface DownloadOptions {
  url?: string;
  fetch?: typeof globalThis.fetch;
  /** For the whole download (default 5 min). */
  timeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  records: number;
  /** Entries in the archive that held no usable record. */
  skipped: number;
}

function httpError(url: string, status: number): AdvisorySourceError {
  const kind = status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : status >= 500 ? 'unavailable' : 'invalid-response';
  return new AdvisorySourceError(kind, `download of ${url} failed: HTTP ${status}`, { status });
}

export async function downloadPypiExport(dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const url = options.url ?? OSV_PYPI_EXPORT_URL;
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  await mkdir(dirname(dest), { recursive: true });
  // Same directory as the destination, so the final rename cannot cross file systems.
  const temp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${Date.now()}.part`);
  try {
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    let res: Response;
    try {
      res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new AdvisorySourceError('unavailable', `download of ${url} failed: ${describeNetworkError(err, timeoutMs)}`, { cause: err });
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw httpError(url, res.status);
    }
    let bytes = 0;
    let head = Buffer.alloc(0);
    try {
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
        bytes += chunk.length;
      });
      await pipeline(body, createWriteStream(temp));
    } catch (err) {
      throw new AdvisorySourceError('unavailable', `download of ${url} was interrupted: ${describeNetworkError(err, timeoutMs)}`, { cause: err });
    }

    // The local database would also take a JSON file; the export must be the zip.
    if (!looksLikeZip(head)) throw new AdvisorySourceError('invalid-response', `the download from ${url} is not a zip file (${bytes} bytes)`);
    const db = createLocalDbSource(temp);
    let stats;
    try {
      stats = await db.load();
    } catch (err) {
      throw new AdvisorySourceError('invalid-response', `the download from ${url} is not a usable OSV export: ${(err as Error).message}`, { cause: err });
    }
    if (stats.records === 0) throw new AdvisorySourceError('invalid-response', `the download from ${url} holds no OSV record`);
    await rename(temp, dest);
    return { path: dest, bytes, records: stats.records, skipped: stats.skipped };
  } finally {
    await rm(temp, { force: true });
  }
}
