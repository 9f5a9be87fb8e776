/** uv.lock (TOML): `[[package]]` with name, version, source; local project packages are skipped. */
import { normalizeName, type Dependency, type ExtractResult, type SkippedEntry } from '../../types.js';
import { lockPackages } from '../lock-packages.js';
import { asString, isTable, parseTomlText, type TomlTable } from '../toml-document.js';

const PYPI = 'https://pypi.org/simple';
const LOCAL_PROJECT = ['virtual', 'editable'] as const;

export function extract(text: string, _path: string): ExtractResult {
  const format = 'uv.lock';
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { format, dependencies: [], skipped: [], error: parsed.error };
  const packages = (Array.isArray(parsed.doc.package) ? parsed.doc.package : []) as unknown[];
  const roots = packages.filter((p): p is TomlTable => isTable(p) && isTable(p.source) && LOCAL_PROJECT.some((k) => k in (p.source as TomlTable)));
  const direct = directGroups(roots);
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { table: pkg, dep } of lockPackages(text, parsed.doc, skipped)) {
    const source = isTable(pkg.source) ? pkg.source : {};
    const local = LOCAL_PROJECT.find((k) => typeof source[k] === 'string');
    if (local !== undefined) {
      skipped.push({ line: dep.line, text: dep.name, reason: `${local} project package (source ${local} = "${String(source[local])}"), not from an index` });
      continue;
    }
    Object.assign(dep, uvSource(source));
    const hashes = [pkg.sdist, ...(Array.isArray(pkg.wheels) ? pkg.wheels : [])]
      .flatMap((f) => (isTable(f) && typeof f.hash === 'string' ? [f.hash] : []));
    if (hashes.length > 0) dep.hashes = hashes;
    if (roots.length > 0) {
      const groups = direct.get(dep.normalizedName);
      dep.direct = groups !== undefined;
      if (groups && groups.size > 0) dep.groups = [...groups];
    }
    dependencies.push(dep);
  }
  return { format, dependencies, skipped };
}

function uvSource(source: TomlTable): Pick<Dependency, 'source' | 'url'> {
  const pick = (key: string): string | undefined => asString(source[key]);
  if (pick('git')) return { source: 'vcs', url: `git+${pick('git')}` };
  if (pick('url')) return { source: 'url', url: pick('url') };
  const local = pick('path') ?? pick('directory');
  if (local) return { source: 'path', url: local };
  const registry = pick('registry');
  return registry && registry.replace(/\/$/, '') !== PYPI ? { source: 'index', url: registry } : { source: 'index' };
}

/** Names the local project packages require, with the optional-dependency / dev group names (none for main). */
function directGroups(roots: TomlTable[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (entries: unknown, group?: string): void => {
    if (!Array.isArray(entries)) return;
    for (const e of entries) {
      if (!isTable(e) || typeof e.name !== 'string') continue;
      const key = normalizeName(e.name);
      const set = out.get(key) ?? new Set<string>();
      if (group) set.add(group);
      out.set(key, set);
    }
  };
  for (const root of roots) {
    add(root.dependencies);
    for (const table of [root['optional-dependencies'], root['dev-dependencies']]) {
      if (isTable(table)) for (const [group, entries] of Object.entries(table)) add(entries, group);
    }
  }
  return out;
}
