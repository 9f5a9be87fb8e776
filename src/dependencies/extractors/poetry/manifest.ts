/** Poetry's own dependency tables in pyproject.toml: `[tool.poetry.dependencies]`, `dev-dependencies`, groups. */
import { normalizeName, type Dependency, type SkippedEntry } from '../../types.js';
import { asString, asStringArray, isTable, type TomlTable } from '../toml-document.js';
import { findKey, findTableOrKeyLine, type TomlLocations } from '../toml-locations.js';

export interface TableDependencies {
  dependencies: Dependency[];
  skipped: SkippedEntry[];
}

/** `^1.2` and `~1.2` stay as written; a bare version or `==X` (without `*`) is an exact pin in Poetry. */
export function poetryConstraint(constraint: string): Pick<Dependency, 'version' | 'specifier'> {
  const c = constraint.trim();
  if (c === '' || c === '*') return {};
  const exact = /^(?:={1,2}\s*)?(\d[A-Za-z0-9.+!_-]*)$/.exec(c);
  return exact ? { version: exact[1], specifier: c } : { specifier: c };
}

export function poetryTableDependencies(doc: TomlTable, loc: TomlLocations): TableDependencies {
  const out: TableDependencies = { dependencies: [], skipped: [] };
  const poetry = isTable(doc.tool) && isTable(doc.tool.poetry) ? doc.tool.poetry : undefined;
  if (!poetry) return out;
  const sections: { path: string[]; group: string; table: unknown }[] = [
    { path: ['tool', 'poetry', 'dependencies'], group: 'main', table: poetry.dependencies },
    { path: ['tool', 'poetry', 'dev-dependencies'], group: 'dev', table: poetry['dev-dependencies'] },
  ];
  if (isTable(poetry.group)) {
    for (const [group, body] of Object.entries(poetry.group)) {
      if (isTable(body)) sections.push({ path: ['tool', 'poetry', 'group', group, 'dependencies'], group, table: body.dependencies });
    }
  }
  for (const { path, group, table } of sections) {
    if (!isTable(table)) continue;
    const sectionLine = findTableOrKeyLine(loc, path) ?? 1;
    for (const [name, value] of Object.entries(table)) {
      if (name.toLowerCase() === 'python') continue;
      const key = findKey(loc, [...path, name]);
      const line = key?.line ?? findTableOrKeyLine(loc, [...path, name]) ?? sectionLine;
      const values = Array.isArray(value) ? value : [value];
      values.forEach((v, k) => {
        const entryLine = Array.isArray(value) ? key?.elementLines[k] ?? line : line;
        const dep = poetryEntry(name, v, entryLine, group);
        if (typeof dep === 'string') out.skipped.push({ line: entryLine, text: name, reason: dep });
        else out.dependencies.push(dep);
      });
    }
  }
  return out;
}

function poetryEntry(name: string, value: unknown, line: number, group: string): Dependency | string {
  const dep: Dependency = { name, normalizedName: normalizeName(name), line, groups: [group], direct: true };
  if (typeof value === 'string') return { ...dep, ...poetryConstraint(value), source: 'index' };
  if (!isTable(value)) return `unsupported Poetry dependency value for "${name}"`;
  Object.assign(dep, poetryConstraint(asString(value.version) ?? ''));
  const extras = asStringArray(value.extras);
  if (extras.length > 0) dep.extras = extras;
  const markers = asString(value.markers);
  if (markers !== undefined) dep.markers = markers;
  const git = asString(value.git);
  const path = asString(value.path);
  const url = asString(value.url);
  if (git !== undefined) {
    Object.assign(dep, { source: 'vcs', url: git });
    const revision = asString(value.rev) ?? asString(value.tag) ?? asString(value.branch);
    if (revision !== undefined) dep.revision = revision;
  }
  else if (path !== undefined) Object.assign(dep, { source: value.develop === true ? 'editable' : 'path', url: path });
  else if (url !== undefined) Object.assign(dep, { source: 'url', url });
  else dep.source = 'index';
  return dep;
}
