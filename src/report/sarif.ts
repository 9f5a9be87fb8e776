/**
 * Review -> SARIF 2.1.0 log, in the shape GitHub code scanning accepts: rule metadata with
 * `security-severity` and CWE tags, stable `partialFingerprints`, `# nosec` findings as in-source
 * suppressions, and per-file analysis errors as tool execution notifications (never a failed run).
 */
import type {
  ArtifactLocation,
  Fix as SarifFix,
  Log,
  Notification,
  ReportingDescriptor,
  Result,
} from 'sarif';
import type { AnalysisError, Confidence, Finding, Location, Review, Severity, SuppressedFinding } from '../engine/types.js';
import type { Rule } from '../rules/rule.js';
import { codeBlock, ruleAnchor } from './rules-doc.js';

export type SarifLog = Log;

export interface SarifOptions {
  /** pyward's own version (package.json), written as the driver's semanticVersion. */
  toolVersion: string;
  /** Where pyward is described (package.json's repository); none: not written. */
  informationUri?: string;
  /** Each rule's page (the App's pages or a docs file: report/rule-links.ts); none: no `helpUri`. */
  ruleUrl?: (id: string) => string | undefined;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of the fingerprint in `partialFingerprints`; bump the version if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = 'pyward/v1';
export const SRCROOT = '%SRCROOT%';

/** GitHub buckets these: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
const LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const PRECISION: Record<Confidence, string> = { high: 'high', medium: 'medium', low: 'low' };

export function sarifLevel(severity: Severity): Result.level {
  return LEVEL[severity];
}

export function renderSarif(review: Review, rules: readonly Rule[], options: SarifOptions): SarifLog {
  const descriptors: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const add = (d: ReportingDescriptor): number => {
    index.set(d.id, descriptors.length);
    descriptors.push(d);
    return descriptors.length - 1;
  };
  for (const rule of rules) if (!index.has(rule.meta.id)) add(ruleDescriptor(rule, options.ruleUrl?.(rule.meta.id)));
  // Findings whose id is no rule given (dependency advisories, rules not passed in) still need a descriptor for ruleIndex.
  const ruleIndex = (f: Finding): number => index.get(f.ruleId) ?? add(fallbackDescriptor(f));

  const results: Result[] = [
    ...review.findings.map((f) => findingResult(f, ruleIndex(f))),
    ...review.suppressed.map((f) => suppressedResult(f, ruleIndex(f))),
  ];

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pyward',
            semanticVersion: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: descriptors,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: review.errors.map(errorNotification) }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleDescriptor(rule: Rule, helpUri: string | undefined): ReportingDescriptor {
  const { meta } = rule;
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: meta.doc.summary },
    fullDescription: { text: meta.doc.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: {
      level: LEVEL[meta.severity],
      ...(meta.options && Object.keys(meta.options).length > 0 ? { parameters: { ...meta.options } } : {}),
    },
    properties: {
      tags: ['security', `external/cwe/cwe-${meta.cwe}`],
      precision: PRECISION[meta.confidence],
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

function fallbackDescriptor(f: Finding): ReportingDescriptor {
  const tags = ['security'];
  if (f.cwe !== undefined) tags.push(`external/cwe/cwe-${f.cwe}`);
  const descriptor: ReportingDescriptor = {
    id: f.ruleId,
    name: f.ruleName,
    // An advisory's own summary ("PyYAML 5.3.1 is affected by ...: <summary>") describes it better than the rule name
    shortDescription: { text: /^(PYSEC|GHSA|CVE|OSV)-/.test(f.ruleId) ? f.message.split('. Affected')[0] : f.ruleName || f.ruleId },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { tags, precision: PRECISION[f.confidence], 'security-severity': SECURITY_SEVERITY[f.severity] },
  };
  if (/^(PYSEC|GHSA)-/.test(f.ruleId)) descriptor.helpUri = `https://osv.dev/vulnerability/${f.ruleId}`;
  return descriptor;
}

function helpText(rule: Rule): string {
  const { doc } = rule.meta;
  const indent = (code: string) => code.replace(/^/gm, '    ');
  return [
    doc.why,
    `Flagged:\n${indent(doc.bad)}`,
    `Instead:\n${indent(doc.good)}`,
    `Fix: ${doc.fix}`,
    `References:\n${doc.references.map((r) => `- ${r}`).join('\n')}`,
  ].join('\n\n');
}

function helpMarkdown(rule: Rule): string {
  const { doc } = rule.meta;
  return [
    doc.why,
    `Flagged:\n\n${codeBlock(doc.bad)}`,
    `Instead:\n\n${codeBlock(doc.good)}`,
    `**Fix:** ${doc.fix}`,
    `**References**\n\n${doc.references.map((r) => `- <${r}>`).join('\n')}`,
  ].join('\n\n');
}

/** Relative paths become `%SRCROOT%`-based URI references; absolute ones become file URIs. */
export function artifactLocation(path: string): ArtifactLocation {
  let p = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(p);
  if (p.startsWith('/') || drive) {
    const segments = (drive ? p.slice(3) : p.slice(1)).split('/').map(encodeURIComponent).join('/');
    return { uri: `file:///${drive ? `${p.slice(0, 2)}/` : ''}${segments}` };
  }
  while (p.startsWith('./')) p = p.slice(2);
  return { uri: p.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(loc: Omit<Location, 'path'>) {
  return { startLine: loc.startLine, startColumn: loc.startColumn, endLine: loc.endLine, endColumn: loc.endColumn };
}

function findingResult(f: Finding, ruleIndex: number): Result {
  const result: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.location.path), region: region(f.location) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    // Finding properties first: the advisory's package, version, aliases (CVE, GHSA), affected ranges, fixed version
    properties: { ...f.properties, severity: f.severity, confidence: f.confidence, ...(f.cwe !== undefined ? { cwe: f.cwe } : {}) },
  };
  const fix = sarifFix(f);
  if (fix) result.fixes = [fix];
  if (f.flow?.length) {
    // GitHub code scanning shows these as "Show paths".
    result.codeFlows = [
      {
        threadFlows: [
          {
            locations: f.flow.map((s, i) => ({
              location: { physicalLocation: { artifactLocation: artifactLocation(s.location.path), region: region(s.location) }, message: { text: s.label } },
              ...(i === 0 ? { kinds: ['source'] } : i === f.flow!.length - 1 ? { kinds: ['sink'] } : {}),
            })),
          },
        ],
      },
    ];
  }
  if (f.covers?.length || f.coveredBy) result.properties = { ...result.properties, ...(f.covers?.length ? { covers: f.covers } : {}), ...(f.coveredBy ? { coveredBy: f.coveredBy } : {}) };
  return result;
}

function suppressedResult(f: SuppressedFinding, ruleIndex: number): Result {
  return { ...findingResult(f, ruleIndex), suppressions: [{ kind: 'inSource', justification: f.suppression.comment }] };
}

/** Only mechanical edits are SARIF fixes; advice-only fixes have nothing to apply. */
function sarifFix(f: Finding): SarifFix | undefined {
  if (!f.fix?.edit) return undefined;
  return {
    description: { text: f.fix.description },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(f.location.path),
        replacements: [{ deletedRegion: region(f.fix.edit.range), insertedContent: { text: f.fix.edit.text } }],
      },
    ],
  };
}

function errorNotification(e: AnalysisError): Notification {
  const where = e.line === undefined ? undefined : e.column === undefined ? { startLine: e.line } : { startLine: e.line, startColumn: e.column };
  return {
    level: e.kind === 'internal' ? 'error' : 'warning',
    message: { text: e.message },
    descriptor: { id: `pyward/${e.kind}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.path), ...(where ? { region: where } : {}) } }],
    properties: { kind: e.kind },
  };
}
