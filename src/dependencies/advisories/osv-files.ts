/**
 * Reading OSV records from disk: a directory tree of `.json` / `.yaml` / `.yml` records (the layout of
 * pypa/advisory-database), one JSON file holding a record or an array of records, or OSV's `all.zip`
 * export. A file that cannot be used is counted and described, never thrown: one broken record must not
 * take the others down with it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AdvisorySourceError, isRawOsvRecord, type RawOsvRecord } from './source.js';
import { looksLikeZip, readZip, ZipFormatError } from './zip-reader.js';

export interface OsvFileProblem {
  file: string;
  reason: string;
}

export interface OsvFilesResult {
  records: RawOsvRecord[];
  /** Files (or zip entries) read. */
  files: number;
  /** Files, zip entries or array items that held no usable record. */
  skipped: number;
  /** The first problems, for a warning (at most {@link MAX_PROBLEMS}). */
  problems: OsvFileProblem[];
}

const MAX_PROBLEMS = 20;
const RECORD_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

class Collector {
  readonly result: OsvFilesResult = { records: [], files: 0, skipped: 0, problems: [] };

  skip(file: string, reason: string): void {
    this.result.skipped++;
    if (this.result.problems.length < MAX_PROBLEMS) this.result.problems.push({ file, reason });
  }

  /** One file's text: a record or a list of records, as JSON or (by extension) YAML. */
  addText(file: string, text: string, yaml: boolean): void {
    this.result.files++;
    let value: unknown;
    try {
      // YAML 1.2 core schema: timestamps stay strings, as OSV means them.
      value = yaml ? parseYaml(text, { uniqueKeys: false, prettyErrors: false }) : JSON.parse(text);
    } catch (err) {
      this.skip(file, `not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`);
      return;
    }
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) this.skip(file, 'an empty list');
    items.forEach((item, i) => {
      if (isRawOsvRecord(item)) this.result.records.push(item);
      else this.skip(Array.isArray(value) ? `${file}[${i}]` : file, 'not an OSV record (no string id)');
    });
  }
}

function listRecordFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // Hidden entries are tooling state (.git, .id-allocator), not records.
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && RECORD_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  walk(root);
  return found;
}

/**
 * Synchronous on purpose: YAML parsing dominates and blocks the thread anyway, and thousands of small
 * async reads only add thread-pool round trips. Measured on the 2,661-file PyPA tree: 1.3 s in all,
 * against 1.6-2.0 s with async reads 64 at a time.
 */
function readDirectory(root: string, into: Collector): void {
  for (const file of listRecordFiles(root)) {
    const name = relative(root, file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      into.result.files++;
      into.skip(name, `unreadable: ${(err as Error).message}`);
      continue;
    }
    into.addText(name, text, extname(file).toLowerCase() !== '.json');
  }
}

function readZipFile(buf: Buffer, into: Collector): void {
  let entries;
  try {
    entries = readZip(buf);
  } catch (err) {
    if (err instanceof ZipFormatError) throw new AdvisorySourceError('invalid-response', `not a readable zip file: ${err.message}`, { cause: err });
    throw err;
  }
  for (const entry of entries) {
    const ext = extname(entry.name).toLowerCase();
    if (!RECORD_EXTENSIONS.has(ext)) continue;
    let text: string;
    try {
      text = entry.read().toString('utf8');
    } catch (err) {
      into.result.files++;
      into.skip(entry.name, (err as Error).message);
      continue;
    }
    into.addText(entry.name, text, ext !== '.json');
  }
}

async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return looksLikeZip(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Every record in an OSV export zip held in memory (the OSV API source's bulk download). */
export function readOsvZip(buf: Buffer): OsvFilesResult {
  const into = new Collector();
  readZipFile(buf, into);
  return into.result;
}

/** Every record under `path`. Rejects with AdvisorySourceError when `path` is missing or a zip is unreadable as a whole. */
export async function readOsvRecords(path: string): Promise<OsvFilesResult> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AdvisorySourceError('not-found', `no advisory database at ${path}`, { cause: err });
    throw new AdvisorySourceError('unavailable', `cannot read the advisory database at ${path}: ${(err as Error).message}`, { cause: err });
  }
  const into = new Collector();
  try {
    if (info.isDirectory()) readDirectory(path, into);
    else if (await startsLikeZip(path)) readZipFile(await readFile(path), into);
    else into.addText(path, await readFile(path, 'utf8'), /\.ya?ml$/i.test(path));
  } catch (err) {
    if (err instanceof AdvisorySourceError) throw err;
    throw new AdvisorySourceError('unavailable', `cannot read the advisory database at ${path}: ${(err as Error).message}`, { cause: err });
  }
  return into.result;
}
