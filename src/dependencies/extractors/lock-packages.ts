/** The `[[package]]` tables shared by poetry.lock, uv.lock and pdm.lock: each named entry with its line and a started Dependency. */
import { normalizeName, type Dependency, type SkippedEntry } from '../types.js';
import { asString, isTable, type TomlTable } from './toml-document.js';
import { arrayTableNameLines, locateToml } from './toml-locations.js';

export interface LockPackage {
  table: TomlTable;
  /** name, normalizedName, line, and version when the entry has one. */
  dep: Dependency;
}

/** Entries without a name are skipped with a reason; nothing throws. */
export function lockPackages(text: string, doc: TomlTable, skipped: SkippedEntry[]): LockPackage[] {
  const lines = arrayTableNameLines(locateToml(text), 'package');
  const packages = Array.isArray(doc.package) ? doc.package : [];
  const out: LockPackage[] = [];
  packages.forEach((pkg, index) => {
    const line = lines[index] ?? 1;
    const name = isTable(pkg) ? asString(pkg.name) : undefined;
    if (!isTable(pkg) || name === undefined) {
      skipped.push({ line, text: '[[package]]', reason: 'package entry without a name' });
      return;
    }
    const dep: Dependency = { name, normalizedName: normalizeName(name), line };
    const version = asString(pkg.version);
    if (version !== undefined) dep.version = version;
    out.push({ table: pkg, dep });
  });
  return out;
}
