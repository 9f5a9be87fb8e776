/** requirements*.txt / *.in / constraints*.txt: pip's requirements-file syntax, pure text -> data. */
import type { Dependency, ExtractResult, SkippedEntry } from '../../types.js';
import { parsePep508, requirementFields } from '../pep508.js';
import { directReference, isDirectReference } from './direct-url.js';
import { logicalLines } from './logical-lines.js';
import { parseOptions, splitArgsOptions, type ParsedOption } from './options.js';

type Includes = NonNullable<ExtractResult['includes']>;
type Options = NonNullable<ExtractResult['options']>;
const INDEX_OPTIONS = new Set(['index-url', 'extra-index-url', 'trusted-host', 'find-links', 'no-index']);
const PER_REQUIREMENT_IGNORED = new Set(['global-option', 'install-option', 'config-settings']);

export function extract(text: string, _path: string): ExtractResult {
  const dependencies: Dependency[] = [];
  const skipped: SkippedEntry[] = [];
  const includes: Includes = [];
  const options: Options = [];

  for (const { line, text: logical } of logicalLines(text)) {
    const { args, options: optionText } = splitArgsOptions(logical);
    const parsed = parseOptions(optionText);
    if (args !== '') {
      const dep = requirementLine(args, line, false, skipped, logical);
      if (dep) {
        const hashes = parsed.filter((o) => o.name === 'hash').map((o) => o.value);
        if (hashes.length > 0) dep.hashes = hashes;
        dependencies.push(dep);
      }
      for (const option of parsed.filter((o) => o.name !== 'hash')) {
        const reason = PER_REQUIREMENT_IGNORED.has(option.name)
          ? `per-requirement option ${option.text} is not interpreted`
          : `option ${option.text} is not valid after a requirement`;
        skipped.push({ line, text: logical, reason });
      }
      continue;
    }
    for (const option of parsed) optionLine(option, line, logical, { dependencies, skipped, includes, options });
  }
  const result: ExtractResult = { format: 'requirements', dependencies, skipped };
  if (includes.length > 0) result.includes = includes;
  if (options.length > 0) result.options = options;
  return result;
}

function optionLine(
  option: ParsedOption,
  line: number,
  logical: string,
  out: { dependencies: Dependency[]; skipped: SkippedEntry[]; includes: Includes; options: Options },
): void {
  if (!option.known) {
    out.skipped.push({ line, text: logical, reason: `unknown or incomplete option ${option.text}` });
  } else if (option.name === 'requirement' || option.name === 'constraint') {
    out.includes.push({ kind: option.name, path: option.value, line });
  } else if (option.name === 'editable') {
    const dep = requirementLine(option.value, line, true, out.skipped, logical);
    if (dep) out.dependencies.push(dep);
  } else if (INDEX_OPTIONS.has(option.name)) {
    out.options.push({ name: option.name as Options[number]['name'], value: option.value, line });
  } else {
    out.skipped.push({ line, text: logical, reason: `option ${option.text} does not name a package` });
  }
}

function requirementLine(
  args: string,
  line: number,
  editable: boolean,
  skipped: SkippedEntry[],
  logical: string,
): Dependency | undefined {
  if (editable || isDirectReference(args)) {
    const direct = directReference(args, editable);
    if (!direct.ok) {
      skipped.push({ line, text: logical, reason: direct.reason });
      return undefined;
    }
    return { ...direct.fields, line };
  }
  const parsed = parsePep508(args);
  if (!parsed.ok) {
    skipped.push({ line, text: logical, reason: parsed.reason });
    return undefined;
  }
  return { ...requirementFields(parsed.requirement), line };
}
