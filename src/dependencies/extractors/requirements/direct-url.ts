/** Requirements that are a URL, a VCS URL or a local path rather than a PEP 508 string. */
import { normalizeName, type Dependency } from '../../types.js';
import { parseSpecifier, exactVersion } from '../pep508.js';

export type DirectResult = { ok: true; fields: Omit<Dependency, 'line'> } | { ok: false; reason: string };

const PEP508_DIRECT = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const VCS = /^(git|hg|svn|bzr)\+/i;
const WHEEL = /^([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/;
const EGG_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[^\]]*\])?(.*)$/;

/** True when pip would read the argument as a URL or a path, not as a PEP 508 requirement. */
export function isDirectReference(arg: string): boolean {
  if (PEP508_DIRECT.test(arg)) return false;
  const head = SCHEME.test(arg) ? arg : arg.split(';')[0].trim(); // a marker may hold `/` in a quoted value
  return SCHEME.test(head) || /^(\.{1,2}(\/|\\|$)|\/|~)/.test(head) || head.includes('/') || /\.(whl|zip|tar\.gz|tgz)$/.test(head);
}

/**
 * Name, version and source of a URL/VCS/path argument (`-e` values included). The name comes from the
 * `#egg=` fragment or a wheel file name; without one the package is unknown and the line is skipped.
 */
export function directReference(arg: string, editable: boolean): DirectResult {
  let location = arg;
  let extras: string[] | undefined;
  const extrasSuffix = /\[([^\]]*)\]$/.exec(location);
  if (extrasSuffix && !SCHEME.test(location)) {
    extras = extrasSuffix[1].split(',').map((e) => e.trim()).filter(Boolean);
    location = location.slice(0, extrasSuffix.index);
  }
  const isVcs = VCS.test(location);
  const isUrl = !isVcs && SCHEME.test(location) && !/^file:/i.test(location);
  const source: Dependency['source'] = isVcs ? 'vcs' : isUrl ? 'url' : editable ? 'editable' : 'path';

  const egg = /#(?:.*&)?egg=([^&]+)/.exec(location);
  let name: string | undefined;
  let specifier: string | undefined;
  if (egg) {
    const parts = EGG_NAME.exec(decodeURIComponent(egg[1]));
    if (!parts) return { ok: false, reason: `unreadable #egg= fragment "${egg[1]}"` };
    name = parts[1];
    if (parts[2]) extras = parts[2].slice(1, -1).split(',').map((e) => e.trim()).filter(Boolean);
    const spec = parseSpecifier(parts[3]);
    if (!spec.ok) return { ok: false, reason: `#egg= fragment: ${spec.reason}` };
    if (spec.specifier) specifier = spec.specifier;
  } else {
    const file = location.replace(/[?#].*$/, '').split('/').pop() ?? '';
    const wheel = WHEEL.exec(file);
    if (wheel) {
      name = wheel[1];
      specifier = `==${wheel[2]}`;
    }
  }
  if (name === undefined) {
    const what = isVcs ? 'VCS URL without an "#egg=" name' : isUrl ? 'URL without a package name (no "#egg=", not a wheel)' : 'local path without a package name';
    return { ok: false, reason: `${editable ? 'editable ' : ''}${what}` };
  }
  const fields: Omit<Dependency, 'line'> = { name, normalizedName: normalizeName(name) };
  const version = exactVersion(specifier);
  if (version !== undefined) fields.version = version;
  if (specifier !== undefined) fields.specifier = specifier;
  if (extras && extras.length > 0) fields.extras = extras;
  fields.source = source;
  fields.url = location;
  return { ok: true, fields };
}
