/** pdm.lock (TOML): one Dependency per `[[package]]`, including the per-extras repeats of one name/version. */
import type { Dependency, ExtractResult, SkippedEntry } from '../../types.js';
import { lockPackages } from '../lock-packages.js';
import { asString, asStringArray, isTable, parseTomlText } from '../toml-document.js';

export function extract(text: string, _path: string): ExtractResult {
  const format = 'pdm.lock';
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { format, dependencies: [], skipped: [], error: parsed.error };
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { table: pkg, dep } of lockPackages(text, parsed.doc, skipped)) {
    const extras = asStringArray(pkg.extras);
    if (extras.length > 0) dep.extras = extras;
    const markers = asString(pkg.marker);
    if (markers !== undefined) dep.markers = markers;
    const groups = asStringArray(pkg.groups);
    if (groups.length > 0) dep.groups = groups;
    const hashes = (Array.isArray(pkg.files) ? pkg.files : []).flatMap((f) => (isTable(f) && typeof f.hash === 'string' ? [f.hash] : []));
    if (hashes.length > 0) dep.hashes = hashes;
    const git = asString(pkg.git);
    const url = asString(pkg.url);
    const path = asString(pkg.path);
    if (git !== undefined) Object.assign(dep, { source: 'vcs', url: `git+${git}` });
    else if (url !== undefined) Object.assign(dep, { source: 'url', url });
    else if (path !== undefined) Object.assign(dep, { source: pkg.editable === true ? 'editable' : 'path', url: path });
    else dep.source = 'index';
    dependencies.push(dep);
  }
  return { format, dependencies, skipped };
}
