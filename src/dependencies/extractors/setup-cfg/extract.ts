/** setup.cfg: `[options] install_requires` and `[options.extras_require]`, read the way setuptools reads them. */
import type { Dependency, ExtractResult, SkippedEntry } from '../../types.js';
import { parsePep508, requirementFields } from '../pep508.js';
import { splitLines } from '../text-lines.js';

interface IniValue {
  section: string;
  key: string;
  /** The value's pieces: the text after `=`/`:` and each continuation line, with their lines. */
  parts: { line: number; text: string }[];
}

/** configparser's layout: `[section]`, `key = value` or `key: value`, indented continuation lines, full-line comments. */
function iniValues(text: string): IniValue[] {
  const values: IniValue[] = [];
  let section = '';
  let current: IniValue | undefined;
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (trimmed === '') return; // configparser keeps empty lines inside values; they carry no requirement
    if (/^\s/.test(raw) && current) {
      current.parts.push({ line, text: trimmed });
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = header[1].trim();
      current = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    current = kv ? { section, key: kv[1].trim().toLowerCase(), parts: [{ line, text: kv[2] }] } : undefined;
    if (current) values.push(current);
  });
  return values;
}

export function extract(text: string, _path: string): ExtractResult {
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  for (const value of iniValues(text)) {
    let group: string | undefined;
    if (value.section === 'options' && value.key === 'install_requires') group = undefined;
    else if (value.section === 'options.extras_require') group = value.key;
    else continue;
    // setuptools: a multi-line value is one requirement a line; a one-line value is split on `;`.
    const pieces = value.parts.filter((p) => p.text !== '');
    const entries = pieces.length === 1 && value.parts.length === 1
      ? pieces[0].text.split(';').map((text) => ({ line: pieces[0].line, text: text.trim() }))
      : pieces;
    for (const { line, text: entry } of entries) {
      const requirement = entry.replace(/(^|\s)#.*$/, '').trim();
      if (requirement === '') continue;
      if (requirement.startsWith('file:')) {
        skipped.push({ line, text: entry, reason: 'file: directive (requirements read from another file) is not followed' });
        continue;
      }
      const parsed = parsePep508(requirement);
      if (!parsed.ok) {
        skipped.push({ line, text: entry, reason: parsed.reason });
        continue;
      }
      const dep: Dependency = { ...requirementFields(parsed.requirement), line, direct: true };
      if (group !== undefined) dep.groups = [group];
      dependencies.push(dep);
    }
  }
  return { format: 'setup.cfg', dependencies, skipped };
}
