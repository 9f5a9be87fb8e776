/**
 * Dependency files of a change -> findings: PW5xx hygiene rules on the lines it added, and published
 * advisories (OSV) on the pins it added or changed. Pure but for the advisory source port; a source that
 * fails makes the check say "unavailable", never "no vulnerabilities".
 */
import { redactUrlCredentials } from './redact-secrets.js';
import type { Config } from '../config/schema.js';
import type { AddedLines } from '../diff/patch.js';
import { AdvisorySourceError, packageKey, type AdvisorySource, type RawOsvRecord } from '../dependencies/advisories/source.js';
import { extractorFor } from '../dependencies/extractors/registry.js';
import { lowestSafeVersion, matchAdvisories, type AdvisoryMatch } from '../dependencies/osv/match.js';
import { parseOsvRecord, type OsvRecord } from '../dependencies/osv/schema.js';
import type { Dependency, ExtractResult } from '../dependencies/types.js';
import { decodePythonSource } from '../python/decode.js';
import { fingerprintAll } from '../report/fingerprints.js';
import { ruleFinding, type DependencyRuleContext, type ReportOptions, type Rule } from '../rules/rule.js';
import { ruleOptions } from './analyze-file.js';
import { asSentence } from '../dependencies/osv/summary-text.js';
import { parseSuppression, suppressionApplies, suppressionPolicy, suppressionRecord, suppressionVerdict, type Suppression, type SuppressionPolicy } from './suppressions.js';
import { severityRank, type AdvisoryRow, type AnalysisError, type ChangedFile, type ChangeSet, type DependencyReport, type Finding, type IncludeLine, type Severity, type SuppressedFinding } from './types.js';

export interface DependencyScanOptions {
  config: Config;
  /** Active rules; those with a `dependencies` hook run here. */
  rules: readonly Rule[];
  /** Where advisories come from; undefined when advisory checks are off. */
  advisories?: AdvisorySource;
  /** Which lines the change added; undefined = a whole-tree scan (everything counts as added). */
  added?: AddedLines;
  /** Today's date (YYYY-MM-DD), for `dependencies.ignore` expiry. */
  today: string;
  /** Included requirements files read for the change (`readIncludes`); undefined = includes are not followed. */
  includes?: ChangeSet['includes'];
}


export interface DependencyScan extends DependencyReport {
  findings: Finding[];
  preExisting: Finding[];
  /** Findings on pins the change added or changed that a comment on the pin's line suppresses. */
  suppressed: SuppressedFinding[];
  errors: AnalysisError[];
}

/**
 * A dependency file larger than this is not read (reported, and the review is incomplete): the biggest
 * real lockfiles are a few MiB, and the parse and line mapping of a 10 MiB uv.lock take about 3 s.
 */
export const MAX_DEPENDENCY_FILE_BYTES = 10 * 1024 * 1024;
/** Unusable lines listed per file; the rest are counted. */
const MAX_UNUSED_LISTED = 10;

function byteSize(content: Uint8Array | string | undefined): number {
  if (content === undefined) return 0;
  return typeof content === 'string' ? Buffer.byteLength(content) : content.length;
}

export const VULNERABLE_DEPENDENCY = { name: 'vulnerable-dependency', cwe: 1395 } as const;
const UNPARSEABLE = { id: 'PW500', name: 'unparseable-dependency-file' } as const;

interface FileState {
  file: ChangedFile;
  lines: string[];
  head: ExtractResult;
  base?: ExtractResult;
  /**
   * Reported on this include line instead of the pin's: a file read only because the change includes it
   * (every pin), or a file of the change that an include it added brings in (pins that were already there).
   */
  via?: IncludeLine;
  /** Not part of the change: read at the head commit because the change includes it. */
  included?: boolean;
}

/**
 * Validated records by raw record object. A source hands out the same objects on every lookup (the local
 * database's index, the OSV API's cache), so a record is validated once, and the matcher's own caches (parsed
 * `versions` lists, prepared ranges), which are keyed by the validated objects, keep working across scans.
 */
const parsedRecords = new WeakMap<RawOsvRecord, OsvRecord | null>();

function parsedRecord(raw: RawOsvRecord): OsvRecord | undefined {
  let parsed = parsedRecords.get(raw);
  if (parsed === undefined) {
    const result = parseOsvRecord(raw);
    parsed = result.ok ? result.record : null;
    parsedRecords.set(raw, parsed);
  }
  return parsed ?? undefined;
}

function text(content: Uint8Array | string | undefined): string | undefined {
  if (content === undefined) return undefined;
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  const decoded = decodePythonSource(content);
  return decoded.ok ? decoded.text : undefined;
}

interface Raw extends Omit<Finding, 'fingerprint' | 'snippet'> {
  isNew: boolean;
  /** Set when a comment on the pin's line suppresses it. */
  suppression?: SuppressedFinding['suppression'];
}

/** The comment after a pin (`PyYAML==5.3  # pyward: ignore[PYSEC-2021-142] reason="..."`): `#` at the start or after a space. */
function lineSuppression(line: string | undefined): Suppression | undefined {
  const m = /(?:^|\s)(#.*)$/.exec(line ?? '');
  return m ? parseSuppression(m[1], (w) => /^PW\d{3}$/i.test(w)) : undefined;
}

type SuppressionCheck = { suppression: SuppressedFinding['suppression'] } | { note: string } | undefined;

/** Whether the comment on `line` suppresses a finding of these ids today, and if it names them but does not, why. */
function checkSuppression(lines: readonly string[], line: number, ids: readonly string[], ruleName: string, config: Config, policy: SuppressionPolicy): SuppressionCheck {
  if (!config.suppressions.nosec) return undefined;
  const s = lineSuppression(lines[line - 1]);
  if (!s || !suppressionApplies(s, ids, ruleName)) return undefined;
  const verdict = suppressionVerdict(s, line, policy);
  return verdict.active ? { suppression: suppressionRecord(s, line) } : { note: verdict.note };
}

function advisorySeverity(s: AdvisoryMatch['severity']): Severity {
  return s === 'unknown' ? 'medium' : s;
}

/** Config ignore entries that apply to a match today; expired ones are reported, not applied. */
function ignoreFor(match: AdvisoryMatch, config: Config, today: string, notes: Set<string>): string | undefined {
  const ids = new Set([match.id, ...match.aliases].map((i) => i.toUpperCase()));
  for (const entry of config.dependencies.ignore) {
    const e = typeof entry === 'string' ? { id: entry } : entry;
    if (!ids.has(e.id.toUpperCase())) continue;
    if (e.expires && e.expires < today) {
      notes.add(`The ignore of ${e.id} in \`dependencies.ignore\` expired on ${e.expires}, so it is reported again.`);
      continue;
    }
    return e.reason ?? 'listed in dependencies.ignore';
  }
  return undefined;
}

/** `name==1.2` -> `name==<fixed>` on a requirements line, when the pin is written that way. */
function bumpEdit(line: string, lineNo: number, dep: Dependency, fixed: string, all: string): Finding['fix'] {
  const m = new RegExp(`(===?\\s*)(${dep.version!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![\\w.])`).exec(line);
  if (!m) return { description: `Upgrade ${dep.name} to ${fixed} or later.` };
  const start = m.index + m[1].length;
  return {
    description: `Upgrade ${dep.name} to ${fixed}, the lowest version that fixes ${all}.`,
    edit: { range: { startLine: lineNo, startColumn: start + 1, endLine: lineNo, endColumn: start + dep.version!.length + 1 }, text: fixed },
  };
}

const MANIFEST_OF: Record<string, string[]> = {
  'poetry.lock': ['pyproject.toml'],
  'uv.lock': ['pyproject.toml'],
  'pdm.lock': ['pyproject.toml'],
  'Pipfile.lock': ['Pipfile', 'pyproject.toml'],
};

export async function scanDependencies(files: readonly ChangedFile[], options: DependencyScanOptions): Promise<DependencyScan> {
  const { config, added } = options;
  const raw: Raw[] = [];
  const errors: AnalysisError[] = [];
  const notes = new Set<string>();
  const states: FileState[] = [];
  const isAdded = (path: string, line: number) => (added ? added.has(path, line) : true);
  const policy = suppressionPolicy(config, options.today);

  for (const file of files) {
    const extractor = extractorFor(file.path);
    if (!extractor || file.status === 'removed') continue;
    const size = byteSize(file.head);
    if (size > MAX_DEPENDENCY_FILE_BYTES) {
      errors.push({ path: file.path, kind: 'skipped', message: `not analysed: ${(size / 1048576).toFixed(1)} MiB is over the ${MAX_DEPENDENCY_FILE_BYTES / 1048576} MiB limit for a dependency file; its pins were not checked` });
      continue;
    }
    const headText = text(file.head);
    if (headText === undefined) {
      errors.push({ path: file.path, kind: 'skipped', message: 'not analysed: the dependency file is not valid UTF-8 text' });
      continue;
    }
    const head = extractor.extract(headText, file.path);
    // An oversized base is not compared with: every pin then counts as the change's (more findings, never fewer).
    const baseText = byteSize(file.base) > MAX_DEPENDENCY_FILE_BYTES ? undefined : text(file.base);
    const base = baseText !== undefined ? extractor.extract(baseText, file.path) : undefined;
    const lines = headText.split('\n').map((l) => l.replace(/\r$/, ''));
    if (head.error) {
      const line = head.error.line ?? 1;
      raw.push({
        ruleId: UNPARSEABLE.id,
        ruleName: UNPARSEABLE.name,
        message: `${file.path} does not parse as ${head.format}: ${head.error.message}. pyward cannot check its dependencies, and neither can the tools that install from it.`,
        severity: 'medium',
        confidence: 'high',
        location: { path: file.path, startLine: line, startColumn: 1, endLine: line, endColumn: (lines[line - 1]?.length ?? 0) + 1 },
        isNew: true,
      });
      continue;
    }
    states.push({ file, lines, head, ...(base ? { base } : {}) });
    // Lines the extractor could not use are said, never dropped: only those the change added, as findings are.
    const unused = head.skipped.filter((e) => isAdded(file.path, e.line));
    if (!options.includes) for (const i of head.includes ?? []) if (isAdded(file.path, i.line)) unused.push({ line: i.line, text: `${i.kind === 'requirement' ? '-r' : '-c'} ${i.path}`, reason: 'included files are not read by this review (check them by changing them in it, or with pyward scan on the tree)' });
    for (const e of unused.slice(0, MAX_UNUSED_LISTED)) notes.add(`${file.path} line ${e.line} not checked: ${e.reason} (\`${redactUrlCredentials(e.text).slice(0, 80).replace(/[`\r\n]/g, ' ')}\`).`);
    if (unused.length > MAX_UNUSED_LISTED) notes.add(`${file.path}: ${unused.length - MAX_UNUSED_LISTED} more lines not checked.`);
  }

  const includes = options.includes;
  if (includes) {
    for (const r of includes.refused) errors.push({ path: r.path, kind: 'skipped', line: r.line, message: `line ${r.line} (\`${r.text.slice(0, 80).replace(/[`\r\n]/g, ' ')}\`): included file not reviewed: ${r.reason}` });
    const requirements = extractorFor('requirements.txt')!;
    for (const f of includes.files) {
      const head = requirements.extract(f.head, f.path);
      states.push({ file: { path: f.path, status: 'unchanged', head: f.head }, lines: f.head.split('\n').map((l) => l.replace(/\r$/, '')), head, via: f.via, included: true });
    }
    for (const r of includes.reincluded) {
      const state = states.find((s) => s.file.path === r.path);
      if (state && !state.via) state.via = r.via;
    }
  }

  // PW5xx hygiene rules: on the change's own lines only
  for (const state of states) {
    if (state.included) continue;
    const baseNames = new Set(state.base?.dependencies.map((d) => d.normalizedName) ?? []);
    for (const rule of options.rules) {
      if (!rule.dependencies) continue;
      const ctx: DependencyRuleContext = {
        path: state.file.path,
        lines: state.lines,
        file: state.head,
        options: ruleOptions(rule, config),
        isAdded: (line) => isAdded(state.file.path, line),
        isNewPackage: (name) => !baseNames.has(name),
        reportLine: (line, o: ReportOptions & { startColumn?: number; endColumn?: number } = {}) => {
          const endColumn = o.endColumn ?? (state.lines[line - 1]?.length ?? 0) + 1;
          const location = { path: state.file.path, startLine: line, startColumn: o.startColumn ?? 1, endLine: line, endColumn };
          const finding: Raw = { ...ruleFinding(rule.meta, o, location), isNew: isAdded(state.file.path, line) };
          const check = checkSuppression(state.lines, line, [rule.meta.id], rule.meta.name, config, policy);
          if (check && 'note' in check) finding.message = `${asSentence(finding.message)} ${check.note}`;
          raw.push(check && 'suppression' in check ? { ...finding, suppression: check.suppression } : finding);
        },
      };
      rule.dependencies(ctx);
    }
  }

  // Advisories
  const pinned = states.flatMap((s) => s.head.dependencies.filter((d) => d.version && d.source !== 'path' && d.source !== 'editable').map((d) => ({ state: s, dep: d })));
  const status: DependencyScan['status'] = { state: 'no-dependencies', packages: 0 };
  const rows: AdvisoryRow[] = [];
  if (!config.dependencies.enabled || !options.advisories) {
    status.state = 'disabled';
  } else if (pinned.length) {
    const unique = [...new Map(pinned.map(({ dep }) => [packageKey({ name: dep.normalizedName, version: dep.version! }), { name: dep.normalizedName, version: dep.version! }])).values()];
    status.packages = unique.length;
    status.source = options.advisories.name;
    try {
      const found = await options.advisories.advisoriesFor(unique);
      status.state = 'checked';
      const parsedCache = new Map<string, OsvRecord[]>();
      for (const { state, dep } of pinned) {
        const key = packageKey({ name: dep.normalizedName, version: dep.version! });
        let records = parsedCache.get(key);
        if (!records) {
          records = [];
          for (const r of found.get(key) ?? []) {
            const parsed = parsedRecord(r);
            if (parsed) records.push(parsed);
          }
          parsedCache.set(key, records);
        }
        const matches = matchAdvisories({ name: dep.normalizedName, version: dep.version! }, records);
        for (const u of matches.unparseable) if (!u.id) notes.add(`${dep.name} ${u.value}: ${u.reason}.`);
        if (!matches.length) continue;
        const baseDep = state.base?.dependencies.find((d) => d.normalizedName === dep.normalizedName);
        // New: a whole-tree scan, a new file, a new package, or a changed version. Else it was already there.
        const changedPin = !added || !state.base || !baseDep || baseDep.version !== dep.version;
        // A pin the change did not write but newly brings in through an include goes on that include line.
        const moved = state.via && (state.included || !changedPin || !isAdded(state.file.path, dep.line)) ? state.via : undefined;
        const isNew = changedPin || moved !== undefined;
        const viaLines = moved && states.find((s) => s.file.path === moved.path)?.lines;
        const safe = lowestSafeVersion(dep.version!, records, dep.normalizedName);
        const manifest = manifestLine(state, dep, states);
        const line = state.lines[dep.line - 1] ?? '';
        const pin: PinContext = { state, dep, line, isNew, safe, ...(manifest ? { manifest } : {}), ...(moved ? { moved, movedLength: viaLines?.[moved.line - 1]?.length ?? 0 } : {}) };
        const active: AdvisoryMatch[] = [];
        const quiet: { match: AdvisoryMatch; suppression: SuppressedFinding['suppression'] }[] = [];
        pin.notes = new Map();
        for (const match of matches) {
          const check = checkSuppression(state.lines, dep.line, [match.id, ...match.aliases], VULNERABLE_DEPENDENCY.name, config, policy);
          const byComment = check && 'suppression' in check ? check.suppression : undefined;
          if (check && 'note' in check) pin.notes.set(match, check.note);
          const configIgnore = ignoreFor(match, config, options.today, notes);
          const ignored = configIgnore ?? (byComment ? `suppressed on line ${byComment.line}${byComment.reason ? `: ${byComment.reason}` : ''}${byComment.until ? ` (until ${byComment.until})` : ''}` : undefined);
          rows.push({
            id: match.id,
            aliases: match.aliases,
            package: dep.name,
            version: dep.version!,
            severity: advisorySeverity(match.severity),
            ...(match.summary ? { summary: match.summary } : {}),
            affected: match.ranges,
            ...(match.fixedIn ? { fixedIn: match.fixedIn } : {}),
            ...(safe ? { upgradeTo: safe } : {}),
            path: state.file.path,
            line: dep.line,
            isNew,
            ...(ignored ? { ignored } : {}),
          });
          if (configIgnore) continue;
          if (byComment) quiet.push({ match, suppression: byComment });
          else active.push(match);
        }
        raw.push(...pinFindings(pin, active));
        // Suppressed by the pin's comment: kept (listed with the reason), each on its own.
        for (const q of quiet) raw.push(...pinFindings(pin, [q.match]).map((f) => ({ ...f, suppression: q.suppression })));
      }
    } catch (err) {
      if (!(err instanceof AdvisorySourceError)) throw err;
      status.state = 'unavailable';
      status.message = err.message;
    }
  }

  const sorted = raw.sort((a, b) => a.location.path.localeCompare(b.location.path) || a.location.startLine - b.location.startLine || a.ruleId.localeCompare(b.ruleId));
  const byPath = new Map<string, string[]>(states.map((s) => [s.file.path, s.lines]));
  // A token in an index URL is shown (and hashed) redacted, like a secret in code.
  const lineOf = (f: Raw) => redactUrlCredentials(byPath.get(f.location.path)?.[f.location.startLine - 1] ?? '');
  const prints = fingerprintAll(sorted.map((f) => ({ ruleId: f.ruleId, path: f.location.path, code: lineOf(f) })));
  const findings: Finding[] = [];
  const preExisting: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  sorted.forEach(({ isNew, suppression, ...f }, i) => {
    const finding: Finding = { ...f, message: redactUrlCredentials(f.message), snippet: lineOf(sorted[i]).trim(), fingerprint: prints[i] };
    // As for code: suppressions on lines the change did not add are not the change's business.
    if (suppression) {
      if (isNew) suppressed.push({ ...finding, suppression });
    } else (isNew ? findings : preExisting).push(finding);
  });
  return { findings, preExisting, suppressed, errors, advisories: rows, status, notes: [...notes] };
}

interface PinContext {
  state: FileState;
  dep: Dependency;
  line: string;
  isNew: boolean;
  /** The lowest version no advisory of the package affects; undefined when none does. */
  safe?: string;
  manifest?: { path: string; line: number };
  /** Why a comment on the pin that names an advisory no longer suppresses it (expired, no reason). */
  notes?: Map<AdvisoryMatch, string>;
  /** The include line (`-r deps/pins.txt`) the change wrote that brings this pin in: the findings go there. */
  moved?: IncludeLine;
  movedLength?: number;
}

const bySeverityThenId = (a: AdvisoryMatch, b: AdvisoryMatch) =>
  severityRank(advisorySeverity(b.severity)) - severityRank(advisorySeverity(a.severity)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The findings of one pin: one per advisory (SARIF and JSON keep a result per rule id), worst first. With
 * several, the worst is the lead: it lists them all and carries the one fix, the others are covered by it,
 * so a review shows the pin once with a single suggestion.
 */
function pinFindings(pin: PinContext, matches: readonly AdvisoryMatch[]): Raw[] {
  const { state, dep, manifest } = pin;
  const sorted = [...matches].sort(bySeverityThenId);
  if (!sorted.length) return [];
  const { moved } = pin;
  const fix = moved ? (pin.safe ? { description: `Upgrade ${dep.name} to ${pin.safe} in ${state.file.path} line ${dep.line}.` } : undefined) : pinFix(pin, sorted);
  const location = moved
    ? { path: moved.path, startLine: moved.line, startColumn: 1, endLine: moved.line, endColumn: (pin.movedLength ?? 0) + 1 }
    : { path: state.file.path, startLine: dep.line, startColumn: 1, endLine: dep.line, endColumn: pin.line.length + 1 };
  const findings = sorted.map((match): Raw => {
    const aliasText = match.aliases.length ? ` (${match.aliases.join(', ')})` : '';
    const fixText = match.fixedIn ? ` Fixed in ${match.fixedIn}.` : ' No fixed version is published.';
    return {
      ruleId: match.id,
      ruleName: VULNERABLE_DEPENDENCY.name,
      message: `${dep.name} ${dep.version} is affected by ${match.id}${aliasText}: ${asSentence(match.summary ?? 'see the advisory')} Affected versions: ${match.ranges.join('; ') || match.matchedBy.kind}.${fixText}${manifest ? ` (declared in ${manifest.path} line ${manifest.line})` : ''}${moved ? ` (pinned in ${state.file.path} line ${dep.line}, which \`${moved.text}\` on this line brings in)` : ''}${pin.notes?.has(match) ? ` ${pin.notes.get(match)}` : ''}`,
      severity: advisorySeverity(match.severity),
      confidence: 'high',
      cwe: VULNERABLE_DEPENDENCY.cwe,
      location,
      ...(fix ? { fix } : {}),
      properties: {
        package: dep.normalizedName,
        version: dep.version,
        aliases: match.aliases,
        affected: match.ranges,
        ...(match.fixedIn ? { fixedIn: match.fixedIn } : {}),
        ...(pin.safe ? { upgradeTo: pin.safe } : {}),
        ...(manifest ? { manifest } : {}),
        ...(moved ? { pinnedAt: { path: state.file.path, line: dep.line } } : {}),
        references: match.references.slice(0, 5),
      },
      isNew: pin.isNew,
    };
  });
  if (sorted.length > 1) {
    const [lead, ...rest] = findings;
    lead.advisories = sorted.map((m) => ({
      id: m.id,
      aliases: m.aliases,
      severity: advisorySeverity(m.severity),
      ...(m.summary ? { summary: m.summary } : {}),
      ...(m.fixedIn ? { fixedIn: m.fixedIn } : {}),
    }));
    for (const f of rest) f.coveredBy = lead.ruleId;
  }
  return findings;
}

/** One fix for the pin: the lowest version that fixes every advisory, as an edit where the pin is written `==x`. */
function pinFix(pin: PinContext, matches: readonly AdvisoryMatch[]): Finding['fix'] | undefined {
  const { dep, safe } = pin;
  const all = matches.length === 1 ? 'the advisory' : `all ${matches.length} advisories`;
  if (!safe) {
    if (!matches.some((m) => m.fixedIn)) return undefined;
    return { description: `No published version of ${dep.name} fixes ${all}: upgrading to a fixed version of one stays affected by another. Consider replacing ${dep.name} or mitigating until a fix is released.` };
  }
  if (pin.state.head.format !== 'requirements') return { description: matches.length === 1 ? `Upgrade ${dep.name} to ${safe} or later.` : `Upgrade ${dep.name} to ${safe} or later, the lowest version that fixes ${all}.` };
  return bumpEdit(pin.line, dep.line, dep, safe, all);
}

/** For a lockfile entry, the manifest line in the same change that declares the package. */
function manifestLine(state: FileState, dep: Dependency, states: FileState[]): { path: string; line: number } | undefined {
  const name = state.file.path.split('/').pop()!;
  const dir = state.file.path.slice(0, state.file.path.length - name.length);
  for (const manifest of MANIFEST_OF[name] ?? []) {
    const m = states.find((s) => s.file.path === `${dir}${manifest}`);
    const d = m?.head.dependencies.find((x) => x.normalizedName === dep.normalizedName);
    if (m && d) return { path: m.file.path, line: d.line };
  }
  return undefined;
}
