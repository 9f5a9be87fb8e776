/**
 * Lines of TOML tables, keys and array elements. TOML parsers give values without positions, so this
 * lexes the text a second time: headers, top-level keys of each table, and the line of each element of
 * an array value. It never throws; on text it does not understand it skips to the end of the line.
 */
import { stripBom } from './text-lines.js';

export interface TomlHeader {
  path: string[];
  /** `[[...]]` */
  array: boolean;
  line: number;
}

export interface TomlKeyLocation {
  /** Index into `headers`, or -1 for the root table. */
  header: number;
  key: string[];
  line: number;
  /** For an array value: the line where each element starts, in order. */
  elementLines: number[];
}

export interface TomlLocations {
  headers: TomlHeader[];
  keys: TomlKeyLocation[];
}

const BARE_KEY = /[A-Za-z0-9_-]/;

export function locateToml(input: string): TomlLocations {
  const text = stripBom(input);
  const n = text.length;
  let i = 0;
  let line = 1;
  const headers: TomlHeader[] = [];
  const keys: TomlKeyLocation[] = [];

  const advance = (count = 1): void => {
    for (let k = 0; k < count && i < n; k++, i++) if (text[i] === '\n') line++;
  };
  const skipSpace = (newlines: boolean): void => {
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) advance();
      else if (c === '#') while (i < n && text[i] !== '\n') i++;
      else break;
    }
  };
  const skipLine = (): void => {
    while (i < n && text[i] !== '\n') i++;
  };
  const readString = (): string => {
    const q = text[i];
    const multi = text.startsWith(q.repeat(3), i);
    advance(multi ? 3 : 1);
    const start = i;
    while (i < n) {
      if (q === '"' && text[i] === '\\') advance(2);
      else if (multi ? text.startsWith(q.repeat(3), i) : text[i] === q) {
        let end = i;
        if (multi) {
          while (text[i + 3] === q) advance(); // up to two quotes may end the content
          end = i;
          advance(3);
        } else advance();
        return text.slice(start, end);
      } else if (!multi && text[i] === '\n') return text.slice(start, i);
      else advance();
    }
    return text.slice(start);
  };
  const readKey = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipSpace(false);
      if (text[i] === '"' || text[i] === "'") parts.push(readString());
      else {
        const start = i;
        while (i < n && BARE_KEY.test(text[i])) i++;
        if (i === start) return parts;
        parts.push(text.slice(start, i));
      }
      skipSpace(false);
      if (text[i] !== '.') return parts;
      advance();
    }
  };
  const skipValue = (elementLines?: number[]): void => {
    const c = text[i];
    if (c === '"' || c === "'") {
      readString();
    } else if (c === '[') {
      advance();
      for (;;) {
        skipSpace(true);
        if (i >= n) return;
        if (text[i] === ']') return advance();
        if (text[i] === ',') {
          advance();
          continue;
        }
        const before = i;
        elementLines?.push(line);
        skipValue();
        if (i === before) advance();
      }
    } else if (c === '{') {
      advance();
      for (;;) {
        skipSpace(true);
        if (i >= n) return;
        if (text[i] === '}') return advance();
        if (text[i] === ',') {
          advance();
          continue;
        }
        const before = i;
        readKey();
        skipSpace(false);
        if (text[i] === '=') {
          advance();
          skipSpace(false);
          skipValue();
        }
        if (i === before) advance();
      }
    } else {
      while (i < n && !',]}\n#'.includes(text[i])) i++;
    }
  };

  let current = -1;
  while (i < n) {
    skipSpace(true);
    if (i >= n) break;
    const startLine = line;
    if (text[i] === '[') {
      const array = text[i + 1] === '[';
      advance(array ? 2 : 1);
      const path = readKey();
      headers.push({ path, array, line: startLine });
      current = headers.length - 1;
      skipLine();
      continue;
    }
    const key = readKey();
    skipSpace(false);
    if (key.length === 0 || text[i] !== '=') {
      skipLine();
      continue;
    }
    advance();
    skipSpace(false);
    const elementLines: number[] = [];
    skipValue(text[i] === '[' ? elementLines : undefined);
    keys.push({ header: current, key, line: startLine, elementLines });
    skipLine();
  }
  return { headers, keys };
}

const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * Lookups by path, built once per located file: a lockfile has tens of thousands of `[[package]]` tables,
 * and searching every key for every table was quadratic (40,000 packages took 20 s).
 */
interface LocationIndex {
  /** Full dotted path (header path + key, joined with NUL) -> the first key there. */
  byFullPath: Map<string, TomlKeyLocation>;
  /** Header index -> its keys, in order. */
  byHeader: Map<number, TomlKeyLocation[]>;
  /** Path of a plain `[table]` header -> its first line. */
  tableLine: Map<string, number>;
}

const indexes = new WeakMap<TomlLocations, LocationIndex>();
const pathKey = (path: readonly string[]): string => path.join('\0');

function indexOf(loc: TomlLocations): LocationIndex {
  let index = indexes.get(loc);
  if (index) return index;
  index = { byFullPath: new Map(), byHeader: new Map(), tableLine: new Map() };
  for (const k of loc.keys) {
    const full = pathKey([...(k.header >= 0 ? loc.headers[k.header].path : []), ...k.key]);
    if (!index.byFullPath.has(full)) index.byFullPath.set(full, k);
    const list = index.byHeader.get(k.header);
    if (list) list.push(k);
    else index.byHeader.set(k.header, [k]);
  }
  for (const h of loc.headers) if (!h.array && !index.tableLine.has(pathKey(h.path))) index.tableLine.set(pathKey(h.path), h.line);
  indexes.set(loc, index);
  return index;
}

/** A key by its full dotted path (`['project', 'dependencies']`), however it was split between header and key. */
export function findKey(loc: TomlLocations, path: string[]): TomlKeyLocation | undefined {
  return indexOf(loc).byFullPath.get(pathKey(path));
}

/** The line of a `[table]` header or, failing that, of a key with that full path. */
export function findTableOrKeyLine(loc: TomlLocations, path: string[]): number | undefined {
  return indexOf(loc).tableLine.get(pathKey(path)) ?? findKey(loc, path)?.line;
}

/** For each `[[name]]` block in order: the line of its `name = ...` key (else the header line). */
export function arrayTableNameLines(loc: TomlLocations, table: string, nameKey = 'name'): number[] {
  return arrayTableKeyLines(loc, [table], nameKey);
}

/** For each `[[a.b.c]]` block at `table` in order: the line of its `key = ...` (else the header line). Linear in the file. */
export function arrayTableKeyLines(loc: TomlLocations, table: string[], key: string): number[] {
  const { byHeader } = indexOf(loc);
  const lines: number[] = [];
  loc.headers.forEach((h, index) => {
    if (!h.array || !same(h.path, table)) return;
    lines.push(byHeader.get(index)?.find((k) => same(k.key, [key]))?.line ?? h.line);
  });
  return lines;
}
