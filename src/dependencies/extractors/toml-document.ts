/** TOML parsing at the boundary: smol-toml, with its error reduced to a message and a line. */
import { parse } from 'smol-toml';
import { stripBom } from './text-lines.js';

export type TomlTable = Record<string, unknown>;
export type TomlParse = { ok: true; doc: TomlTable } | { ok: false; error: { message: string; line?: number } };

export function parseTomlText(text: string): TomlParse {
  try {
    return { ok: true, doc: parse(stripBom(text)) as TomlTable };
  } catch (err) {
    const e = err as { message?: string; line?: number };
    const message = String(e.message ?? err).split('\n')[0];
    return { ok: false, error: typeof e.line === 'number' ? { message, line: e.line } : { message } };
  }
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
