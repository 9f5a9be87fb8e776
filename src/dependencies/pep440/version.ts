/**
 * PEP 440 versions: parsing, normal form and ordering, as Python's `packaging.version.Version` does it.
 *
 * Written here rather than wrapping `@renovatebot/pep440` 4.x: measured against `packaging` 23.0
 * (test/fixtures/pep440-cases.json) that library compared `1.0+1e5` as numeric (it uses `Number()`, so
 * `1e5`/`0x10` local parts became numbers), lost precision above 2^53 (`1.9007199254740993 ==
 * 1.9007199254740992`), normalised local parts with commas (`1.0+abc,def`) and rejected surrounding
 * whitespace that `packaging` accepts. Numbers here are `bigint`, so no component is ever rounded.
 *
 * This is version ordering only, never specifier semantics: `2.0rc1 < 2.0` and `1.0 < 1.0+local`.
 */

/** A parsed version. Numbers are bigints; letters are normalised (`alpha` -> `a`, `c`/`pre` -> `rc`). */
export interface Pep440Version {
  /** The string as given. */
  readonly input: string;
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  readonly pre?: readonly ['a' | 'b' | 'rc', bigint];
  readonly post?: bigint;
  readonly dev?: bigint;
  /** Local segment parts: digits as bigint, the rest lower-cased. */
  readonly local?: readonly (string | bigint)[];
}

/** `packaging.version.VERSION_PATTERN` (packaging 23), anchored, with surrounding whitespace allowed. */
const VERSION_RE = new RegExp(
  '^\\s*v?' +
    '(?:' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_\\.]?(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))[-_\\.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\\.]?(?<post_l>post|rev|r)[-_\\.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_\\.]?(?<dev_l>dev)[-_\\.]?(?<dev_n>[0-9]+)?)?' +
    ')' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

const PRE_LETTERS: Record<string, 'a' | 'b' | 'rc'> = {
  a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc',
};

/** Parses a PEP 440 version; `undefined` when the string is not one (e.g. `2.0.0-final`, `trunk`, `1.*`). */
export function parseVersion(input: string): Pep440Version | undefined {
  if (typeof input !== 'string') return undefined;
  const m = VERSION_RE.exec(input);
  const g = m?.groups;
  if (!g) return undefined;
  const version: {
    input: string; epoch: bigint; release: bigint[];
    pre?: ['a' | 'b' | 'rc', bigint]; post?: bigint; dev?: bigint; local?: (string | bigint)[];
  } = {
    input,
    epoch: g.epoch !== undefined ? BigInt(g.epoch) : 0n,
    release: g.release!.split('.').map((x) => BigInt(x)),
  };
  if (g.pre_l !== undefined) version.pre = [PRE_LETTERS[g.pre_l.toLowerCase()]!, BigInt(g.pre_n ?? '0')];
  if (g.post_n1 !== undefined) version.post = BigInt(g.post_n1);
  else if (g.post_l !== undefined) version.post = BigInt(g.post_n2 ?? '0');
  if (g.dev_l !== undefined) version.dev = BigInt(g.dev_n ?? '0');
  if (g.local !== undefined) {
    version.local = g.local.split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part.toLowerCase()));
  }
  return version;
}

export function isValidVersion(input: string): boolean {
  return parseVersion(input) !== undefined;
}

/** Thrown by the comparison functions for a string that is not a PEP 440 version. */
export class InvalidVersionError extends Error {
  constructor(readonly version: string) {
    super(`not a PEP 440 version: ${JSON.stringify(version)}`);
    this.name = 'InvalidVersionError';
  }
}

type VersionLike = string | Pep440Version;

function toVersion(v: VersionLike): Pep440Version {
  if (typeof v !== 'string') return v;
  const parsed = parseVersion(v);
  if (!parsed) throw new InvalidVersionError(v);
  return parsed;
}

/** The canonical form, as `str(packaging.version.Version(s))`: `1.0RC1` -> `1.0rc1`, `1.0-1` -> `1.0.post1`. */
export function normalizeVersion(v: VersionLike): string {
  const x = toVersion(v);
  let s = x.epoch !== 0n ? `${x.epoch}!` : '';
  s += x.release.join('.');
  if (x.pre) s += `${x.pre[0]}${x.pre[1]}`;
  if (x.post !== undefined) s += `.post${x.post}`;
  if (x.dev !== undefined) s += `.dev${x.dev}`;
  if (x.local) s += `+${x.local.join('.')}`;
  return s;
}

/** The public part (without `+local`), normalised. */
export function publicVersion(v: VersionLike): string {
  return normalizeVersion(v).split('+', 1)[0]!;
}

/** True for dev releases and pre-releases (`1.0.dev0`, `1.0a1`, `1.0rc1.post1`), as `Version.is_prerelease`. */
export function isPrerelease(v: VersionLike): boolean {
  const x = toVersion(v);
  return x.pre !== undefined || x.dev !== undefined;
}

// Sort-key markers standing for packaging's Infinity / NegativeInfinity.
const NEG = -1;
const POS = 1;

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: readonly bigint[], b: readonly bigint[]): number {
  // Trailing zeros do not count: 1.0 == 1.0.0.
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpBig(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

/** packaging's pre key: dev-only releases sort before every pre-release; final releases after. */
function preKey(v: Pep440Version): { marker: number; pre?: readonly ['a' | 'b' | 'rc', bigint] } {
  if (v.pre) return { marker: 0, pre: v.pre };
  if (v.post === undefined && v.dev !== undefined) return { marker: NEG };
  return { marker: POS };
}

function cmpPre(a: Pep440Version, b: Pep440Version): number {
  const ka = preKey(a);
  const kb = preKey(b);
  if (ka.marker !== kb.marker) return ka.marker < kb.marker ? -1 : 1;
  if (!ka.pre || !kb.pre) return 0;
  if (ka.pre[0] !== kb.pre[0]) return ka.pre[0] < kb.pre[0] ? -1 : 1; // 'a' < 'b' < 'rc'
  return cmpBig(ka.pre[1], kb.pre[1]);
}

/** Absent post sorts first; absent dev sorts last. */
function cmpOptional(a: bigint | undefined, b: bigint | undefined, absent: number): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return absent;
  if (b === undefined) return -absent;
  return cmpBig(a, b);
}

function cmpLocal(a: readonly (string | bigint)[] | undefined, b: readonly (string | bigint)[] | undefined): number {
  if (!a && !b) return 0;
  if (!a) return -1; // no local segment sorts before any local segment
  if (!b) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = cmpBig(x, y);
      if (c !== 0) return c;
    } else if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) return x < y ? -1 : 1;
    } else {
      return typeof x === 'string' ? -1 : 1; // alphanumeric parts sort before numeric ones
    }
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
}

/** PEP 440 ordering: -1, 0 or 1. Throws {@link InvalidVersionError} for a string that does not parse. */
export function compareVersions(a: VersionLike, b: VersionLike): -1 | 0 | 1 {
  const x = toVersion(a);
  const y = toVersion(b);
  const c =
    cmpBig(x.epoch, y.epoch) ||
    cmpRelease(x.release, y.release) ||
    cmpPre(x, y) ||
    cmpOptional(x.post, y.post, -1) ||
    cmpOptional(x.dev, y.dev, 1) ||
    cmpLocal(x.local, y.local);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/**
 * PEP 440 equality of two versions (`Version(a) == Version(b)`): `1.0 == 1.0.0`, `1.0-beta == 1.0b0`,
 * `1.0+local != 1.0`. False when either side is not a PEP 440 version.
 */
export function versionsEqual(a: VersionLike, b: VersionLike): boolean {
  const x = typeof a === 'string' ? parseVersion(a) : a;
  const y = typeof b === 'string' ? parseVersion(b) : b;
  if (!x || !y) return false;
  return compareVersions(x, y) === 0;
}

/** Sorts ascending by PEP 440 ordering (stable); every entry must parse. */
export function sortVersions<T extends VersionLike>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => compareVersions(a, b));
}
