/** poetry.lock, lock-version 1.x (`[metadata.files]`, `category`) and 2.x (inline `files`, `groups`, `[package.source]`). */
import { normalizeName, type Dependency, type ExtractResult, type SkippedEntry } from '../../types.js';
import { lockPackages } from '../lock-packages.js';
import { asString, asStringArray, isTable, parseTomlText, type TomlTable } from '../toml-document.js';

export function extractPoetryLock(text: string): ExtractResult {
  const format = 'poetry.lock';
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { format, dependencies: [], skipped: [], error: parsed.error };
  const { doc } = parsed;
  const metadataFiles = isTable(doc.metadata) && isTable(doc.metadata.files) ? doc.metadata.files : {};
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { table: pkg, dep } of lockPackages(text, doc, skipped)) {
    const name = dep.name;
    const markers = asString(pkg.markers);
    if (markers !== undefined) dep.markers = markers;
    const hashes = fileHashes(pkg.files ?? lookupFiles(metadataFiles, name));
    if (hashes.length > 0) dep.hashes = hashes;
    Object.assign(dep, packageSource(pkg));
    const groups = Array.isArray(pkg.groups) ? asStringArray(pkg.groups) : asString(pkg.category) ? [pkg.category as string] : [];
    if (groups.length > 0) dep.groups = groups;
    dependencies.push(dep);
  }
  return { format, dependencies, skipped };
}

function lookupFiles(files: TomlTable, name: string): unknown {
  if (name in files) return files[name];
  const wanted = normalizeName(name);
  const key = Object.keys(files).find((k) => normalizeName(k) === wanted);
  return key === undefined ? undefined : files[key];
}

function fileHashes(files: unknown): string[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((f) => (isTable(f) && typeof f.hash === 'string' ? [f.hash] : []));
}

function packageSource(pkg: TomlTable): Pick<Dependency, 'source' | 'url'> {
  const source = pkg.source;
  if (!isTable(source)) return { source: 'index' };
  const url = asString(source.url);
  const withUrl = (kind: NonNullable<Dependency['source']>): Pick<Dependency, 'source' | 'url'> =>
    url === undefined ? { source: kind } : { source: kind, url };
  switch (source.type) {
    case 'git':
      return withUrl('vcs');
    case 'url':
      return withUrl('url');
    case 'directory':
    case 'file':
      return withUrl(pkg.develop === true ? 'editable' : 'path');
    default:
      return withUrl('index'); // `legacy` / named private sources: still an index, the URL says which
  }
}
