/**
 * PEP 508 requirement strings (`name[extra] (>=1,<2) ; marker`, `name @ url ; marker`), shared by the
 * requirements, pyproject and setup.cfg extractors. Pure; a string it cannot read gives a reason, not a throw.
 */
import { normalizeName, type Dependency } from '../types.js';

export interface Pep508Requirement {
  name: string;
  extras: string[];
  /** Clauses joined by `,` with whitespace and parentheses removed (`>=1.0,!=1.3`). */
  specifier?: string;
  url?: string;
  markers?: string;
}

export type Pep508Result = { ok: true; requirement: Pep508Requirement } | { ok: false; reason: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
const MARKER_VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra', 'extras', 'dependency_groups',
  // legacy dotted names still accepted by pip
  'os.name', 'sys.platform', 'platform.version', 'platform.machine', 'platform.python_implementation',
  'python_implementation',
]);
const MARKER_TOKEN =
  /\s+|\(|\)|"[^"]*"|'[^']*'|===|==|!=|<=|>=|~=|<|>|not\s+in\b|\bin\b|\band\b|\bor\b|[A-Za-z_][A-Za-z0-9_.]*/y;

function fail(reason: string): Pep508Result {
  return { ok: false, reason };
}

/** Why a marker expression is not PEP 508, or undefined when it reads (a token check, not a full grammar). */
export function markerProblem(markers: string): string | undefined {
  if (markers.trim() === '') return 'empty environment marker';
  MARKER_TOKEN.lastIndex = 0;
  let depth = 0;
  while (MARKER_TOKEN.lastIndex < markers.length) {
    const start = MARKER_TOKEN.lastIndex;
    const m = MARKER_TOKEN.exec(markers);
    if (!m) return `unexpected "${markers.slice(start, start + 12)}" in environment marker`;
    const tok = m[0];
    if (tok === '(') depth++;
    else if (tok === ')' && --depth < 0) return 'unbalanced parenthesis in environment marker';
    else if (/^[A-Za-z_]/.test(tok) && !/^(in|and|or|not\s+in)$/.test(tok) && !MARKER_VARIABLES.has(tok)) {
      return `unknown marker variable "${tok}"`;
    }
  }
  return depth === 0 ? undefined : 'unbalanced parenthesis in environment marker';
}

/** `>= 1.0, != 1.3` -> `>=1.0,!=1.3`, or a reason. Empty input gives an empty specifier. */
export function parseSpecifier(text: string): { ok: true; specifier: string } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, specifier: '' };
  const clauses: string[] = [];
  for (const raw of trimmed.split(',')) {
    const m = CLAUSE.exec(raw.trim());
    if (!m) return { ok: false, reason: `invalid version specifier "${raw.trim()}"` };
    clauses.push(m[1] + m[2]);
  }
  return { ok: true, specifier: clauses.join(',') };
}

export function parsePep508(input: string): Pep508Result {
  let rest = input.trim();
  if (rest === '') return fail('empty requirement');
  const nameMatch = NAME.exec(rest);
  if (!nameMatch) return fail(`not a requirement: no package name at "${rest.slice(0, 24)}"`);
  const name = nameMatch[0];
  rest = rest.slice(name.length).trimStart();

  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return fail('unclosed "[" in extras');
    extras = rest.slice(1, close).split(',').map((e) => e.trim()).filter((e) => e !== '');
    const bad = extras.find((e) => NAME.exec(e)?.[0] !== e);
    if (bad !== undefined) return fail(`invalid extra name "${bad}"`);
    rest = rest.slice(close + 1).trimStart();
  }

  let specifier: string | undefined;
  let url: string | undefined;
  let markerText: string | undefined;
  if (rest.startsWith('@')) {
    // PEP 508: the URL runs to whitespace; a marker after it needs a space before `;`.
    rest = rest.slice(1).trimStart();
    const urlMatch = /^\S+/.exec(rest);
    if (!urlMatch) return fail('"@" without a URL');
    url = urlMatch[0];
    rest = rest.slice(url.length).trim();
    if (rest !== '') {
      if (!rest.startsWith(';')) return fail(`unexpected "${rest.slice(0, 24)}" after the URL`);
      markerText = rest.slice(1);
    }
  } else {
    const semi = rest.indexOf(';');
    let specText = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
    if (semi >= 0) markerText = rest.slice(semi + 1);
    if (specText.startsWith('(')) {
      if (!specText.endsWith(')')) return fail('unclosed "(" around the version specifier');
      specText = specText.slice(1, -1);
    }
    const spec = parseSpecifier(specText);
    if (!spec.ok) return fail(spec.reason);
    if (spec.specifier !== '') specifier = spec.specifier;
  }

  let markers: string | undefined;
  if (markerText !== undefined) {
    markers = markerText.trim();
    const problem = markerProblem(markers);
    if (problem) return fail(problem);
  }
  const requirement: Pep508Requirement = { name, extras };
  if (specifier !== undefined) requirement.specifier = specifier;
  if (url !== undefined) requirement.url = url;
  if (markers !== undefined) requirement.markers = markers;
  return { ok: true, requirement };
}

/** The pinned version of an exact specifier: `==X` without a wildcard, or `===X`; else undefined. */
export function exactVersion(specifier: string | undefined): string | undefined {
  if (!specifier || specifier.includes(',')) return undefined;
  const arbitrary = /^===\s*(\S+)$/.exec(specifier);
  if (arbitrary) return arbitrary[1];
  const exact = /^==\s*([^*\s]+)$/.exec(specifier);
  return exact ? exact[1] : undefined;
}

/** Where a direct reference points: a VCS (`git+...`), a URL, or a local path. */
export function urlSource(url: string): 'vcs' | 'url' | 'path' {
  if (/^(git|hg|svn|bzr)\+/i.test(url)) return 'vcs';
  if (/^file:/i.test(url)) return 'path';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'url';
  return 'path';
}

/** The Dependency fields a PEP 508 requirement gives (line and groups are the caller's). */
export function requirementFields(req: Pep508Requirement): Omit<Dependency, 'line'> {
  const dep: Omit<Dependency, 'line'> = { name: req.name, normalizedName: normalizeName(req.name) };
  const version = exactVersion(req.specifier);
  if (version !== undefined) dep.version = version;
  if (req.specifier !== undefined) dep.specifier = req.specifier;
  if (req.extras.length > 0) dep.extras = req.extras;
  if (req.markers !== undefined) dep.markers = req.markers;
  if (req.url !== undefined) {
    dep.source = urlSource(req.url);
    dep.url = req.url;
  } else {
    dep.source = 'index';
  }
  return dep;
}
