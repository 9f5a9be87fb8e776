/**
 * A local OSV database as an advisory source, for offline scans and air-gapped installs: a directory of
 * records, one JSON array file, or OSV's PyPI `all.zip` (see `pyward advisories update`). Read and indexed
 * by PEP 503 name once, on first use.
 */
import { normalizeName } from '../types.js';
import { readOsvRecords, type OsvFileProblem } from './osv-files.js';
import { packageKey, type AdvisorySource, type RawOsvRecord, type PackageVersion } from './source.js';

export interface LocalDbStats {
  /** Distinct record ids read (withdrawn ones included: the matcher drops them). */
  records: number;
  withdrawn: number;
  /** Package names the records are indexed under. */
  names: number;
  /** Files or zip entries read. */
  files: number;
  /** Files, entries or array items that held no usable record. */
  skipped: number;
  /** The first of those, with the reason. */
  problems: OsvFileProblem[];
  loadMs: number;
}

export interface LocalDbSource extends AdvisorySource {
  /** Read and index the database now (otherwise the first lookup does). Rejects like `advisoriesFor`. */
  load(): Promise<LocalDbStats>;
  /** Counts from the last load; zeros before it. */
  stats(): LocalDbStats;
}

function isPypi(ecosystem: unknown): boolean {
  // Records written by hand often leave the ecosystem out; a PyPI database means PyPI.
  return ecosystem === undefined || (typeof ecosystem === 'string' && ecosystem.toLowerCase() === 'pypi');
}

/** The PEP 503 names of a record's PyPI packages. */
function packageNames(record: RawOsvRecord): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(record.affected)) return names;
  for (const affected of record.affected) {
    const pkg = (affected as { package?: { name?: unknown; ecosystem?: unknown } } | null)?.package;
    if (pkg && typeof pkg.name === 'string' && pkg.name.trim() && isPypi(pkg.ecosystem)) names.add(normalizeName(pkg.name));
  }
  return names;
}

function newer(a: RawOsvRecord, b: RawOsvRecord): boolean {
  return typeof a.modified === 'string' && (typeof b.modified !== 'string' || Date.parse(a.modified) > Date.parse(b.modified));
}

export function createLocalDbSource(path: string, options: { now?: () => number } = {}): LocalDbSource {
  const now = options.now ?? (() => performance.now());
  let index: Map<string, RawOsvRecord[]> | undefined;
  let loading: Promise<Map<string, RawOsvRecord[]>> | undefined;
  let stats: LocalDbStats = { records: 0, withdrawn: 0, names: 0, files: 0, skipped: 0, problems: [], loadMs: 0 };

  async function build(): Promise<Map<string, RawOsvRecord[]>> {
    const started = now();
    const read = await readOsvRecords(path);
    // The same record may be present twice (a .yaml and a .json copy): keep the newest.
    const byId = new Map<string, RawOsvRecord>();
    for (const record of read.records) {
      const seen = byId.get(record.id);
      if (!seen || newer(record, seen)) byId.set(record.id, record);
    }
    const built = new Map<string, RawOsvRecord[]>();
    let withdrawn = 0;
    for (const record of byId.values()) {
      if (typeof record.withdrawn === 'string') withdrawn++;
      for (const name of packageNames(record)) {
        const list = built.get(name);
        if (list) list.push(record);
        else built.set(name, [record]);
      }
    }
    stats = { records: byId.size, withdrawn, names: built.size, files: read.files, skipped: read.skipped, problems: read.problems, loadMs: now() - started };
    return built;
  }

  function loaded(): Promise<Map<string, RawOsvRecord[]>> {
    if (index) return Promise.resolve(index);
    loading ??= build().then(
      (built) => (index = built),
      (err: unknown) => {
        // Not cached: the path may exist by the next lookup.
        loading = undefined;
        throw err;
      },
    );
    return loading;
  }

  return {
    name: `local OSV database (${path})`,
    async load() {
      await loaded();
      return stats;
    },
    stats: () => stats,
    async advisoriesFor(packages: PackageVersion[]) {
      const byName = await loaded();
      const out = new Map<string, RawOsvRecord[]>();
      for (const p of packages) out.set(packageKey(p), [...(byName.get(normalizeName(p.name)) ?? [])]);
      return out;
    },
  };
}
