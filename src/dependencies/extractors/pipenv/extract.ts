/** Pipfile.lock (JSON): `default` and `develop` sections; `"version": "==X"`, hashes, markers, VCS/path entries. */
import { normalizeName, type Dependency, type ExtractResult, type SkippedEntry } from '../../types.js';
import { jsonError, jsonKeyLines } from '../json-locations.js';
import { exactVersion } from '../pep508.js';
import { stripBom } from '../text-lines.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const VCS_KEYS = ['git', 'hg', 'svn', 'bzr'] as const;

export function extract(input: string, _path: string): ExtractResult {
  const format = 'Pipfile.lock';
  const text = stripBom(input);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { format, dependencies: [], skipped: [], error: jsonError(err, text) };
  }
  if (!isObject(doc)) return { format, dependencies: [], skipped: [], error: { message: 'Pipfile.lock is not a JSON object', line: 1 } };
  const lines = jsonKeyLines(text);
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  for (const section of ['default', 'develop']) {
    const packages = doc[section];
    if (!isObject(packages)) continue;
    for (const [name, entry] of Object.entries(packages)) {
      const line = lines.get(`${section}\u0000${name}`) ?? 1;
      if (!isObject(entry)) {
        skipped.push({ line, text: name, reason: `entry for "${name}" is not an object` });
        continue;
      }
      dependencies.push(pipenvEntry(name, entry, line, section));
    }
  }
  return { format, dependencies, skipped };
}

function pipenvEntry(name: string, entry: Json, line: number, section: string): Dependency {
  const dep: Dependency = { name, normalizedName: normalizeName(name), line, groups: [section] };
  const specifier = typeof entry.version === 'string' && entry.version !== '*' ? entry.version : undefined;
  if (specifier !== undefined) {
    dep.specifier = specifier;
    const version = exactVersion(specifier);
    if (version !== undefined) dep.version = version;
  }
  if (Array.isArray(entry.extras)) dep.extras = entry.extras.filter((e): e is string => typeof e === 'string');
  if (typeof entry.markers === 'string') dep.markers = entry.markers;
  if (Array.isArray(entry.hashes)) dep.hashes = entry.hashes.filter((h): h is string => typeof h === 'string');
  const vcs = VCS_KEYS.find((k) => typeof entry[k] === 'string');
  if (vcs !== undefined) {
    dep.source = 'vcs';
    dep.url = `${vcs}+${entry[vcs] as string}${typeof entry.ref === 'string' ? `@${entry.ref}` : ''}`;
  } else if (typeof entry.path === 'string' || typeof entry.file === 'string') {
    dep.source = entry.editable === true ? 'editable' : typeof entry.file === 'string' && /^[a-z]+:\/\//i.test(entry.file) ? 'url' : 'path';
    dep.url = (entry.path ?? entry.file) as string;
  } else {
    dep.source = 'index';
  }
  return dep;
}
