/**
 * Package-index settings in pyproject.toml, as the index options of a requirements file: uv's
 * `[[tool.uv.index]]` and `[tool.uv]` keys, Poetry's `[[tool.poetry.source]]`, PDM's `[[tool.pdm.source]]`.
 * Read for PW503 (plain-HTTP index, TLS turned off, best-match resolution across indexes).
 */
import type { ExtractResult } from '../../types.js';
import { asString, asStringArray, isTable, type TomlTable } from '../toml-document.js';
import { arrayTableKeyLines, findKey, type TomlLocations } from '../toml-locations.js';

export type IndexOption = NonNullable<ExtractResult['options']>[number];

/** The line of each element of an array key (the key's line for all when they cannot be told apart). */
function elementLines(loc: TomlLocations, path: string[], count: number): number[] {
  const key = findKey(loc, path);
  const line = key?.line ?? 1;
  return Array.from({ length: count }, (_, k) => (key?.elementLines.length === count ? key.elementLines[k] : line));
}

function tool(doc: TomlTable, name: string): TomlTable {
  const tools = isTable(doc.tool) ? doc.tool : {};
  return isTable(tools[name]) ? tools[name] : {};
}

function blocks(value: unknown): TomlTable[] {
  return Array.isArray(value) ? value.filter(isTable) : [];
}

export function indexSettings(doc: TomlTable, loc: TomlLocations): IndexOption[] {
  const out: IndexOption[] = [];
  const uv = tool(doc, 'uv');
  // [[tool.uv.index]]: extra indexes are searched first-match by default, so only the transport counts here
  const uvIndexes = blocks(uv.index);
  const uvIndexLines = arrayTableKeyLines(loc, ['tool', 'uv', 'index'], 'url');
  uvIndexes.forEach((index, k) => {
    const url = asString(index.url);
    if (url !== undefined) out.push({ name: index.format === 'flat' ? 'find-links' : 'index', value: url, line: uvIndexLines[k] ?? 1 });
  });
  const uvKey = (key: string) => findKey(loc, ['tool', 'uv', key])?.line ?? 1;
  const indexUrl = asString(uv['index-url']);
  if (indexUrl !== undefined) out.push({ name: 'index-url', value: indexUrl, line: uvKey('index-url') });
  for (const [key, name] of [['extra-index-url', 'index'], ['find-links', 'find-links'], ['allow-insecure-host', 'trusted-host']] as const) {
    const values = asStringArray(uv[key]);
    const lines = elementLines(loc, ['tool', 'uv', key], values.length);
    values.forEach((value, k) => out.push({ name, value, line: lines[k] }));
  }
  const strategy = asString(uv['index-strategy']);
  if (strategy === 'unsafe-best-match' || strategy === 'unsafe-first-match') out.push({ name: 'index-strategy', value: strategy, line: uvKey('index-strategy') });

  // [[tool.poetry.source]] and [[tool.pdm.source]]: url, and PDM's verify_ssl
  for (const name of ['poetry', 'pdm']) {
    const sources = blocks(tool(doc, name).source);
    const lines = arrayTableKeyLines(loc, ['tool', name, 'source'], 'url');
    const verifyLines = arrayTableKeyLines(loc, ['tool', name, 'source'], 'verify_ssl');
    sources.forEach((source, k) => {
      const url = asString(source.url);
      if (url === undefined) return;
      out.push({ name: 'index', value: url, line: lines[k] ?? 1 });
      if (source.verify_ssl === false) out.push({ name: 'trusted-host', value: url, line: verifyLines[k] ?? lines[k] ?? 1 });
    });
  }
  return out;
}
