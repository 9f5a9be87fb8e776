/**
 * Which OSV advisories affect a pinned PyPI package version. Pure: records in, matches out.
 *
 * Evaluation follows the OSV schema's `IsVulnerable` pseudocode, with PEP 440 *ordering* for PyPI:
 * - withdrawn records are skipped; only `affected[]` entries with ecosystem `PyPI` whose PEP 503
 *   normalised name equals the package's count;
 * - a version is affected when it is in `versions` (PEP 440 equality; strings that are not PEP 440
 *   versions only match the identical string) OR inside any `ECOSYSTEM` range;
 * - a range's events are stable-sorted by version (`introduced: "0"` first, equal versions keep their
 *   listed order) and walked: `introduced <= v` opens, `fixed <= v` closes, `last_affected < v`
 *   closes; `limit` events cap the range (`v < some limit`, `"*"` is infinity);
 * - `SEMVER` (not PEP 440) and `GIT` (commit hashes) ranges are ignored for PyPI;
 * - never specifier semantics: `2.0rc1` lies inside a range fixed at `2.0`, `1.0+local` is above `1.0`.
 *
 * Policy for what cannot be ordered: a pinned version that is not PEP 440 is matched only by identical
 * strings in `versions` lists, and a range with a bound that is not PEP 440 is not evaluated; both are
 * reported in the result's `unparseable` list (never silently treated as safe).
 */
import { compareVersions, parseVersion, type Pep440Version, versionsEqual } from '../pep440/version.js';
import { normalizeName } from '../types.js';
import { recordSeverity, type AdvisorySeverity, type SeverityInfo } from './severity.js';

export { recordSeverity, type AdvisorySeverity, type SeverityInfo };
import { trimOnWord } from './summary-text.js';
import { eventEntry, isPyPI, type OsvAffected, type OsvEventKind, type OsvRange, type OsvRecord } from './schema.js';

export interface AdvisoryMatch {
  /** The record's id (`PYSEC-2021-142`, `GHSA-...`): the finding's rule id. */
  id: string;
  /** CVE / GHSA / ... ids of the same vulnerability (other records' ids when several were merged). */
  aliases: string[];
  /** The record's summary, else the first sentence of its details. */
  summary?: string;
  details?: string;
  severity: AdvisorySeverity;
  severityInfo: SeverityInfo;
  /** PEP 503 name of the package. */
  package: string;
  /** The pinned version that was matched. */
  version: string;
  /** Every affected interval of the package's ECOSYSTEM ranges, as text (`>=1.0, <1.2.3`, `<5.4`, `>=2.0`). */
  ranges: string[];
  /** Why this version matched: the interval holding it, or the `versions` entry equal to it (`==1.0`). */
  matchedBy: { kind: 'range'; range: string } | { kind: 'versions'; version: string };
  /** All `fixed` versions of the package's ECOSYSTEM ranges, PEP 440 ascending, de-duplicated. */
  fixedVersions: string[];
  /** The lowest fixed version above the pinned one that this record does not affect. */
  fixedIn?: string;
  published?: string;
  modified?: string;
  references: string[];
  /** Ids of other records folded into this match because they share an id or alias. */
  duplicates?: string[];
}

/** Something that could not be evaluated, reported instead of being read as "not affected". */
export interface UnparseableNote {
  /** The record, when the problem is in a record's range. */
  id?: string;
  package: string;
  /** The string that does not parse. */
  value: string;
  reason: string;
}

/** The matches, plus what could not be evaluated. Still an array of matches. */
export type AdvisoryMatches = AdvisoryMatch[] & { unparseable: UnparseableNote[] };

export interface MatchOptions {
  /** Fold records that share an id or alias into one match (default true). */
  dedupeByAlias?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Range evaluation

type Bound = { kind: Exclude<OsvEventKind, 'limit'>; raw: string; version: Pep440Version | 'zero' };

interface PreparedRange {
  /** Non-limit events, stable-sorted by version. */
  events: Bound[];
  /** Limit versions; `'infinity'` for `*`. Empty means no limit. */
  limits: (Pep440Version | 'infinity')[];
  limitRaw: string[];
}

type Prepared = { ok: true; range: PreparedRange } | { ok: false; value: string; reason: string };

const prepCache = new WeakMap<OsvRange, Prepared>();

function prepareRange(range: OsvRange): Prepared {
  const cached = prepCache.get(range);
  if (cached) return cached;
  const events: Bound[] = [];
  const limits: (Pep440Version | 'infinity')[] = [];
  const limitRaw: string[] = [];
  let result: Prepared | undefined;
  for (const event of range.events) {
    const [kind, raw] = eventEntry(event);
    if (kind === 'limit') {
      if (raw.includes('*')) {
        limits.push('infinity');
        limitRaw.push(raw);
        continue;
      }
      const v = parseVersion(raw);
      if (!v) {
        result = { ok: false, value: raw, reason: `limit "${raw}" is not a PEP 440 version; range not evaluated` };
        break;
      }
      limits.push(v);
      limitRaw.push(raw);
      continue;
    }
    if (kind === 'introduced' && raw === '0') {
      events.push({ kind, raw, version: 'zero' });
      continue;
    }
    const v = parseVersion(raw);
    if (!v) {
      result = { ok: false, value: raw, reason: `${kind} "${raw}" is not a PEP 440 version; range not evaluated` };
      break;
    }
    events.push({ kind, raw, version: v });
  }
  if (!result) {
    // Array.prototype.sort is stable: events with equal versions keep their listed order.
    events.sort((a, b) => compareBound(a.version, b.version));
    result = { ok: true, range: { events, limits, limitRaw } };
  }
  prepCache.set(range, result);
  return result;
}

function compareBound(a: Pep440Version | 'zero', b: Pep440Version | 'zero'): number {
  if (a === 'zero') return b === 'zero' ? 0 : -1;
  if (b === 'zero') return 1;
  return compareVersions(a, b);
}

function beforeLimits(v: Pep440Version, range: PreparedRange): boolean {
  if (range.limits.length === 0) return true;
  return range.limits.some((limit) => limit === 'infinity' || compareVersions(v, limit) < 0);
}

/** The OSV walk over sorted events. */
function inRange(v: Pep440Version, range: PreparedRange): boolean {
  if (!beforeLimits(v, range)) return false;
  let vulnerable = false;
  for (const e of range.events) {
    if (e.kind === 'introduced') {
      if (e.version === 'zero' || compareVersions(v, e.version) >= 0) vulnerable = true;
    } else if (e.kind === 'fixed') {
      if (compareVersions(v, e.version as Pep440Version) >= 0) vulnerable = false;
    } else if (compareVersions(v, e.version as Pep440Version) > 0) {
      vulnerable = false; // last_affected
    }
  }
  return vulnerable;
}

interface Interval {
  lower?: Bound;
  upper?: Bound;
  text: string;
}

/** The affected intervals a range describes, for display. */
function intervals(range: PreparedRange): Interval[] {
  const out: Interval[] = [];
  let open: Bound | undefined;
  const limitText = rangeLimitText(range);
  const finish = (lower: Bound | undefined, upper: Bound | undefined) => {
    const parts: string[] = [];
    if (lower && lower.version !== 'zero') parts.push(`>=${lower.raw}`);
    if (upper) parts.push(`${upper.kind === 'fixed' ? '<' : '<='}${upper.raw}`);
    if (limitText) parts.push(limitText);
    if (parts.length === 0) parts.push('>=0');
    out.push({ lower, upper, text: parts.join(', ') });
  };
  let opened = false;
  for (const e of range.events) {
    if (e.kind === 'introduced') {
      if (!opened) {
        open = e;
        opened = true;
      }
    } else if (opened) {
      const empty = e.kind === 'fixed' && open!.version !== 'zero' && compareBound(open!.version, e.version) === 0;
      if (!empty) finish(open, e);
      opened = false;
      open = undefined;
    }
  }
  if (opened) finish(open, undefined);
  return out;
}

function rangeLimitText(range: PreparedRange): string | undefined {
  if (range.limits.length === 0 || range.limits.includes('infinity')) return undefined;
  // v < any limit  <=>  v < the greatest limit
  let best = 0;
  range.limits.forEach((l, i) => {
    if (compareVersions(l as Pep440Version, range.limits[best] as Pep440Version) > 0) best = i;
  });
  return `<${range.limitRaw[best]}`;
}

function inInterval(v: Pep440Version, interval: Interval): boolean {
  const { lower, upper } = interval;
  if (lower && lower.version !== 'zero' && compareVersions(v, lower.version) < 0) return false;
  if (upper) {
    const c = compareVersions(v, upper.version as Pep440Version);
    if (upper.kind === 'fixed' ? c >= 0 : c > 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Per affected entry

/** The entries of a record that speak about this PyPI package (all of them when `name` is undefined). */
function pypiEntries(record: OsvRecord, name: string | undefined): OsvAffected[] {
  const wanted = name === undefined ? undefined : normalizeName(name);
  return record.affected.filter(
    (a) => isPyPI(a.package.ecosystem) && (wanted === undefined || normalizeName(a.package.name) === wanted),
  );
}

const listCache = new WeakMap<OsvAffected, [string, Pep440Version | undefined][]>();

/** An entry's `versions`, each with its parse (undefined for strings that are not PEP 440). */
function listedVersions(entry: OsvAffected): [string, Pep440Version | undefined][] {
  let list = listCache.get(entry);
  if (!list) {
    list = entry.versions.map((v) => [v, parseVersion(v)]);
    listCache.set(entry, list);
  }
  return list;
}

export interface AffectsVerdict {
  affected: boolean;
  matchedBy?: AdvisoryMatch['matchedBy'];
  unparseable: { value: string; reason: string }[];
}

function evaluateEntries(entries: OsvAffected[], version: string, parsed: Pep440Version | undefined): AffectsVerdict {
  const unparseable: AffectsVerdict['unparseable'] = [];
  let matchedBy: AdvisoryMatch['matchedBy'] | undefined;
  for (const entry of entries) {
    for (const [listed, listedParsed] of listedVersions(entry)) {
      const equal = parsed && listedParsed ? versionsEqual(parsed, listedParsed) : listed === version;
      if (equal) {
        matchedBy ??= { kind: 'versions', version: listed };
        break;
      }
    }
    for (const range of entry.ranges) {
      if (range.type !== 'ECOSYSTEM') continue;
      const prepared = prepareRange(range);
      if (!prepared.ok) {
        unparseable.push({ value: prepared.value, reason: prepared.reason });
        continue;
      }
      if (!parsed || matchedBy?.kind === 'range') continue;
      if (inRange(parsed, prepared.range)) {
        const hit = intervals(prepared.range).find((i) => inInterval(parsed, i));
        matchedBy = { kind: 'range', range: hit?.text ?? intervals(prepared.range).map((i) => i.text).join(' | ') };
      }
    }
  }
  return matchedBy ? { affected: true, matchedBy, unparseable } : { affected: false, unparseable };
}

/**
 * Does this record affect `name` at `version`? Withdrawn records affect nothing. A pinned version or
 * range bound that does not parse yields `unparseable` notes (see the module comment).
 */
export function recordAffects(record: OsvRecord, name: string, version: string): AffectsVerdict {
  if (record.withdrawn) return { affected: false, unparseable: [] };
  const pinned = version.trim();
  return evaluateEntries(pypiEntries(record, name), pinned, parseVersion(pinned));
}

const SEVERITY_RANK: Record<AdvisorySeverity, number> = { unknown: 0, low: 1, medium: 2, high: 3, critical: 4 };

// ---------------------------------------------------------------------------------------------
// Matching

function summaryOf(record: OsvRecord): string | undefined {
  if (record.summary?.trim()) return trimOnWord(record.summary, 200);
  const details = record.details?.trim();
  if (!details) return undefined;
  const first = details.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  const sentence = /^(.+?[.!?])(\s|$)/.exec(first)?.[1] ?? first;
  return trimOnWord(sentence, 200);
}

function preparedRanges(entries: OsvAffected[]): PreparedRange[] {
  const out: PreparedRange[] = [];
  for (const e of entries) {
    for (const r of e.ranges) {
      if (r.type !== 'ECOSYSTEM') continue;
      const p = prepareRange(r);
      if (p.ok) out.push(p.range);
    }
  }
  return out;
}

/** Fixed versions of the entries' ECOSYSTEM ranges: PEP 440 ascending, equal versions once. */
function fixedVersionsOf(entries: OsvAffected[]): { raw: string; version: Pep440Version }[] {
  const fixed: { raw: string; version: Pep440Version }[] = [];
  for (const range of preparedRanges(entries)) {
    for (const e of range.events) {
      if (e.kind !== 'fixed' || e.version === 'zero') continue;
      if (!fixed.some((f) => compareVersions(f.version, e.version as Pep440Version) === 0)) {
        fixed.push({ raw: e.raw, version: e.version });
      }
    }
  }
  return fixed.sort((a, b) => compareVersions(a.version, b.version));
}

function buildMatch(record: OsvRecord, entries: OsvAffected[], pkg: string, version: string, parsed: Pep440Version | undefined, matchedBy: AdvisoryMatch['matchedBy']): AdvisoryMatch {
  const severityInfo = recordSeverity(record, entries);
  const fixed = fixedVersionsOf(entries);
  const match: AdvisoryMatch = {
    id: record.id,
    aliases: [...new Set(record.aliases.filter((a) => a !== record.id))],
    severity: severityInfo.level,
    severityInfo,
    package: pkg,
    version,
    ranges: preparedRanges(entries).flatMap((r) => intervals(r).map((i) => i.text)),
    matchedBy,
    fixedVersions: fixed.map((f) => f.raw),
    references: record.references.map((r) => r.url),
  };
  const summary = summaryOf(record);
  if (summary !== undefined) match.summary = summary;
  if (record.details !== undefined) match.details = record.details;
  if (record.published !== undefined) match.published = record.published;
  match.modified = record.modified;
  if (parsed) {
    const fixedIn = fixed.find(
      (f) => compareVersions(f.version, parsed) > 0 && !evaluateEntries(entries, f.raw, f.version).affected,
    );
    if (fixedIn) match.fixedIn = fixedIn.raw;
  }
  return match;
}

/**
 * The advisories among `records` that affect `pkg` at `pkg.version`, in input order. Records that
 * share an id or alias are folded into the first of them (its aliases gain the others' ids and
 * aliases, its severity becomes the highest known), unless `dedupeByAlias` is false.
 */
export function matchAdvisories(
  pkg: { name: string; version: string },
  records: readonly OsvRecord[],
  options: MatchOptions = {},
): AdvisoryMatches {
  const name = normalizeName(pkg.name);
  const version = pkg.version.trim();
  const parsed = parseVersion(version);
  const unparseable: UnparseableNote[] = [];
  if (!parsed) {
    unparseable.push({
      package: name,
      value: pkg.version,
      reason: `version "${pkg.version}" is not a PEP 440 version; only identical strings in advisories' versions lists can match`,
    });
  }
  const matches: AdvisoryMatch[] = [];
  for (const record of records) {
    if (record.withdrawn) continue;
    const entries = pypiEntries(record, name);
    if (entries.length === 0) continue;
    const verdict = evaluateEntries(entries, version, parsed);
    for (const u of verdict.unparseable) unparseable.push({ id: record.id, package: name, ...u });
    if (verdict.affected) matches.push(buildMatch(record, entries, name, version, parsed, verdict.matchedBy!));
  }
  const result = (options.dedupeByAlias === false ? matches : dedupe(matches)) as AdvisoryMatches;
  result.unparseable = unparseable;
  return result;
}

function dedupe(matches: AdvisoryMatch[]): AdvisoryMatch[] {
  const out: AdvisoryMatch[] = [];
  const keysOf = (m: AdvisoryMatch) => new Set([m.id, ...m.aliases]);
  const groups: { match: AdvisoryMatch; keys: Set<string> }[] = [];
  for (const m of matches) {
    const keys = keysOf(m);
    const hits = groups.filter((g) => [...keys].some((k) => g.keys.has(k)));
    if (hits.length === 0) {
      groups.push({ match: { ...m }, keys });
      continue;
    }
    // fold m (and any groups it bridges) into the first group hit
    const [first, ...rest] = hits;
    for (const other of [m, ...rest.map((g) => g.match)]) {
      const target = first!.match;
      for (const k of keysOf(other)) first!.keys.add(k);
      target.duplicates = [...new Set([...(target.duplicates ?? []), other.id, ...(other.duplicates ?? [])])].filter((id) => id !== target.id);
      if (SEVERITY_RANK[other.severity] > SEVERITY_RANK[target.severity]) {
        target.severity = other.severity;
        target.severityInfo = other.severityInfo;
      }
    }
    for (const g of rest) groups.splice(groups.indexOf(g), 1);
    first!.match.aliases = [...first!.keys].filter((k) => k !== first!.match.id);
  }
  for (const g of groups) out.push(g.match);
  return out;
}

/**
 * The lowest version above `version` that none of `records` affects, chosen among the records'
 * `fixed` versions (PyPI ECOSYSTEM ranges; only entries for `name` when given); every candidate is
 * checked against all records' ranges and versions lists, so an upgrade into another advisory's range
 * is not suggested. Undefined when the pinned version is not affected, does not parse, or no fixed
 * version escapes every advisory.
 */
export function lowestSafeVersion(version: string, records: readonly OsvRecord[], name?: string): string | undefined {
  version = version.trim();
  const parsed = parseVersion(version);
  if (!parsed) return undefined;
  const live = records.filter((r) => !r.withdrawn);
  const entriesOf = live.map((r) => pypiEntries(r, name));
  const affects = (raw: string, v: Pep440Version) => entriesOf.some((entries) => evaluateEntries(entries, raw, v).affected);
  if (!affects(version, parsed)) return undefined;
  const candidates = fixedVersionsOf(entriesOf.flat()).filter((f) => compareVersions(f.version, parsed) > 0);
  return candidates.find((c) => !affects(c.raw, c.version))?.raw;
}
