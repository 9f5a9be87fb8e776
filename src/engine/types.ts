/** Core data types shared by the engine, the rules and the renderers. Pure data, no behaviour. */
import type { FileFlowData } from '../dataflow/flow-types.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.indexOf(c);
}

/** 1-based lines, 1-based columns counted in UTF-16 code units (SARIF's default column kind); end column exclusive. */
export interface Location {
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A mechanical edit that makes the finding go away safely; renderers turn it into suggestions. */
export interface Fix {
  description: string;
  /** Replacement of the text in `range` (same coordinates as Location). Absent when the fix is advice only. */
  edit?: { range: Omit<Location, 'path'>; text: string };
}

/** One step of a data flow: where, and what the value is called there (`query`, `request.args.get("q")`). */
export interface FlowStep {
  location: Location;
  label: string;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  cwe?: number;
  location: Location;
  /** Source text of the first flagged line, trimmed; shown in reports and hashed into the fingerprint. */
  snippet: string;
  fingerprint: string;
  fix?: Fix;
  /** Data-flow findings: the path from the source to the sink, source first, sink last. */
  flow?: FlowStep[];
  /** Bandit checks this (PW) finding stands for on the same call: reviews show this entry only. */
  covers?: string[];
  /** Set on a Bandit finding a PW finding covers: reviews and check-run tables leave it out (JSON and SARIF keep it). */
  coveredBy?: string;
  /** Extra facts for machine consumers (SARIF properties): advisory aliases, fixed versions, the package. */
  properties?: Record<string, unknown>;
  /**
   * A dependency pin with several advisories: every one of them, worst first, on the pin's lead finding (the
   * worst advisory's); the others are `coveredBy` it, so a review comments the pin once (JSON and SARIF keep one
   * result per advisory). The lead's `fix` is the one upgrade that fixes them all, or advice when none does.
   */
  advisories?: PinAdvisory[];
}

/** One advisory of a pin, as a grouped comment lists it. */
export interface PinAdvisory {
  id: string;
  aliases: string[];
  severity: Severity;
  summary?: string;
  fixedIn?: string;
}

export interface SuppressedFinding extends Finding {
  /** The comment that silenced it (`# nosec` or `# pyward: ignore`), the line it is on, its reason and end date. */
  suppression: { comment: string; line: number; kind?: 'nosec' | 'pyward'; reason?: string; until?: string; invalidUntil?: string };
}

/** Something pyward could not do for one file; never fatal for the scan. */
export interface AnalysisError {
  path: string;
  kind: 'syntax' | 'skipped' | 'internal';
  message: string;
  line?: number;
  column?: number;
}

export interface FileResult {
  path: string;
  /** What the data-flow analysis found in the file, for the project-wide solver (removed once it ran). */
  flows?: FileFlowData;
  analysed: boolean;
  lines: number;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: AnalysisError[];
}

export interface ScanStats {
  filesAnalysed: number;
  filesSkipped: number;
  lines: number;
  durationMs: number;
  /** Data flow: functions and files analysed without it (over budget); absent when data flow is off. */
  dataflow?: { functionsOverBudget: number; filesOverBudget: string[] };
  /** Findings left out of the report by the per-file cap (`capPerFile`); absent when none were. */
  findingsCut?: FindingsCut[];
}

/** Findings of one file left out by the per-file cap: how many, by rule id. */
export interface FindingsCut {
  path: string;
  omitted: number;
  byRule: Record<string, number>;
}

export interface Review {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: AnalysisError[];
  stats: ScanStats;
  /** The dependency files' advisory check, when the scan had dependency files. */
  dependencies?: DependencyReport;
}

/** A file a change (pull request, git range) touches, with what the engine needs to analyse it. */
export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: 'added' | 'modified' | 'renamed' | 'removed' | 'copied' | 'changed' | 'unchanged';
  /** Unified diff of the file; absent when the diff is too large (then the whole file counts as changed). */
  patch?: string;
  /** Head content; absent for removed files and files the source could not read. */
  head?: Uint8Array | string;
  /** Base content, for dependency files (their pins are diffed). */
  base?: Uint8Array | string;
}

export interface ChangeSet {
  baseSha: string;
  headSha: string;
  files: ChangedFile[];
  /** Files the change source did not hand over, with the reason (removed, binary, not Python, listing cap). */
  skipped: { path: string; reason: string }[];
  /** The source could not list every file (GitHub lists at most 3,000 for a pull request). */
  truncated?: string;
  /**
   * Unchanged project modules the changed Python files import, read at the head commit so data flow can
   * follow calls into them (their own findings are not reported), a note when a bound cut the list, and
   * why they could not all be read (`unavailable`: the review is then incomplete).
   */
  context?: { files: { path: string; head: Uint8Array | string }[]; note?: string; unavailable?: string };
  /**
   * Unchanged files read at the head commit for what they say about the project, not for their findings:
   * the files that name a changed settings module in `DJANGO_SETTINGS_MODULE` (manage.py, wsgi.py, asgi.py,
   * pytest and tox configuration) and the sibling settings modules that build on a changed base module
   * (read-settings-context.ts), and a note when a bound or a failed read left some out.
   */
  project?: { files: { path: string; head: Uint8Array | string }[]; note?: string };
  /**
   * Requirements files included (`-r`, `-c`) by the change's own and not handed over in `files`, read at the
   * head commit (`via`: the include line in a changed file their findings are reported on); files of the
   * change that an include the change added makes new to the install (`reincluded`); includes refused.
   */
  includes?: {
    files: { path: string; head: string; via: IncludeLine }[];
    reincluded: { path: string; via: IncludeLine }[];
    refused: (IncludeLine & { reason: string })[];
  };
}

/** An include line of a requirements file: where it is, and what it says (`-r deps/pins.txt`). */
export interface IncludeLine {
  path: string;
  line: number;
  text: string;
}

/** A review of a change: findings on the lines it added, and what else was seen. */
export interface ChangeReview extends Review {
  /** Findings in the touched files on lines the change did not add: counted, never commented. */
  preExisting: Finding[];
  /** Files the change touched that were skipped, with the reason. */
  skipped: { path: string; reason: string }[];
  truncated?: string;
  /** What data flow read beyond the change (imported modules), what a bound left out, and a failed read. */
  context?: { files: number; note?: string; unavailable?: string };
  baseSha: string;
  headSha: string;
}

/** One advisory on one pin, as the summary lists it. */
export interface AdvisoryRow {
  id: string;
  aliases: string[];
  package: string;
  version: string;
  severity: Severity;
  summary?: string;
  affected: string[];
  fixedIn?: string;
  /** The lowest version that fixes every advisory of the package (the same on each row of a pin). */
  upgradeTo?: string;
  path: string;
  line: number;
  /** True when the change added or changed this pin. */
  isNew: boolean;
  /** Set when `dependencies.ignore` silences it. */
  ignored?: string;
}

export interface DependencyReport {
  status: { state: 'checked' | 'unavailable' | 'disabled' | 'no-dependencies'; source?: string; message?: string; packages: number };
  advisories: AdvisoryRow[];
  notes: string[];
}
