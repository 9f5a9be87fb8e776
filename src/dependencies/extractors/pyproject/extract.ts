/**
 * pyproject.toml: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735 `[dependency-groups]`,
 * and Poetry's `[tool.poetry.*]` tables (read by the poetry folder). Lines are those of each array string.
 * Index settings (uv, Poetry, PDM) come out as `options`, as a requirements file's index options do.
 */
import { normalizeName, type Dependency, type ExtractResult, type SkippedEntry } from '../../types.js';
import { parsePep508, requirementFields } from '../pep508.js';
import { poetryTableDependencies } from '../poetry/manifest.js';
import { indexSettings } from './index-settings.js';
import { asString, isTable, parseTomlText } from '../toml-document.js';
import { findKey, findTableOrKeyLine, locateToml, type TomlLocations } from '../toml-locations.js';

export function extract(text: string, _path: string): ExtractResult {
  const format = 'pyproject.toml';
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { format, dependencies: [], skipped: [], error: parsed.error };
  const { doc } = parsed;
  const loc = locateToml(text);
  const out = { dependencies: [] as Dependency[], skipped: [] as SkippedEntry[] };
  const project = isTable(doc.project) ? doc.project : {};
  const self = typeof project.name === 'string' ? normalizeName(project.name) : undefined;
  const read = (path: string[], value: unknown, group?: string): void =>
    requirementArray(loc, path, value, group, self, out);

  read(['project', 'dependencies'], project.dependencies);
  if (isTable(project['optional-dependencies'])) {
    for (const [extra, list] of Object.entries(project['optional-dependencies'])) {
      read(['project', 'optional-dependencies', extra], list, extra);
    }
  }
  if (isTable(doc['dependency-groups'])) {
    const groups = doc['dependency-groups'];
    for (const [group, list] of Object.entries(groups)) read(['dependency-groups', group], list, group);
  }
  const poetry = poetryTableDependencies(doc, loc);
  const options = indexSettings(doc, loc);
  return {
    format,
    dependencies: [...out.dependencies, ...poetry.dependencies],
    skipped: [...out.skipped, ...poetry.skipped],
    ...(options.length ? { options } : {}),
  };
}

function requirementArray(
  loc: TomlLocations,
  path: string[],
  value: unknown,
  group: string | undefined,
  self: string | undefined,
  out: { dependencies: Dependency[]; skipped: SkippedEntry[] },
): void {
  if (value === undefined) return;
  const key = findKey(loc, path);
  const fallback = key?.line ?? findTableOrKeyLine(loc, path.slice(0, -1)) ?? 1;
  if (!Array.isArray(value)) {
    out.skipped.push({ line: fallback, text: path.join('.'), reason: 'expected an array of requirement strings' });
    return;
  }
  value.forEach((entry, k) => {
    const line = key?.elementLines.length === value.length ? key.elementLines[k] : fallback;
    if (isTable(entry)) {
      const included = asString(entry['include-group']);
      const reason = included === undefined
        ? 'dependency-group entry is neither a string nor {include-group}'
        : `include-group "${included}": its requirements are listed under that group`;
      out.skipped.push({ line, text: included === undefined ? '{...}' : `{include-group = "${included}"}`, reason });
      return;
    }
    if (typeof entry !== 'string') {
      out.skipped.push({ line, text: String(entry), reason: 'requirement is not a string' });
      return;
    }
    const parsed = parsePep508(entry);
    if (!parsed.ok) {
      out.skipped.push({ line, text: entry, reason: parsed.reason });
      return;
    }
    if (self !== undefined && normalizeName(parsed.requirement.name) === self) {
      out.skipped.push({ line, text: entry, reason: 'refers to the project itself (its own extras)' });
      return;
    }
    const dep: Dependency = { ...requirementFields(parsed.requirement), line, direct: true };
    if (group !== undefined) dep.groups = [group];
    out.dependencies.push(dep);
  });
}
