/** Terminal report: grouped by file, worst first within a line, the offending code, and a one-line fix. */
import type { Finding, Review, Severity } from '../engine/types.js';
import type { Rule } from '../rules/rule.js';
import { flowTextLines } from './flow-steps.js';
import { countBySeverity, cutSummary, plural } from './summary.js';
import { defuseWorkflowCommand, terminalText as t } from './terminal.js';

export interface TextOptions {
  color: boolean;
  failOn: Severity;
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'path', [number, number]> = {
  critical: [35, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
  path: [4, 24],
};

export function renderText(review: Review, rules: readonly Rule[], options: TextOptions): string {
  const paint = (style: keyof typeof COLORS, s: string) => (options.color ? `\x1b[${COLORS[style][0]}m${s}\x1b[${COLORS[style][1]}m` : s);
  const docs = new Map(rules.map((r) => [r.meta.id, r.meta.doc]));
  const byFile = new Map<string, Finding[]>();
  for (const f of review.findings) {
    const list = byFile.get(f.location.path) ?? [];
    list.push(f);
    byFile.set(f.location.path, list);
  }
  const out: string[] = [];
  for (const [path, findings] of byFile) {
    out.push(paint('path', paint('bold', t(path))));
    for (const f of findings) {
      const where = `${f.location.startLine}:${f.location.startColumn}`;
      const sev = paint(f.severity, f.severity.toUpperCase().padEnd(8));
      out.push(`  ${where.padEnd(8)} ${sev} ${paint('bold', t(f.ruleId))} ${t(f.ruleName)}  ${paint('dim', `(confidence ${f.confidence}${f.cwe ? `, CWE-${f.cwe}` : ''})`)}`);
      out.push(`           ${t(f.message)}`);
      if (f.snippet) out.push(paint('dim', `  ${String(f.location.startLine).padStart(6)} | `) + t(f.snippet));
      for (const line of flowTextLines(f)) out.push(`           ${paint('dim', t(line))}`);
      const fix = f.fix?.description ?? docs.get(f.ruleId)?.fix;
      if (fix) out.push(`           ${paint('bold', 'fix:')} ${t(fix)}`);
    }
    out.push('');
  }
  for (const e of review.errors) {
    const where = e.line ? `${e.path}:${e.line}` : e.path;
    out.push(`${paint(e.kind === 'internal' ? 'high' : 'medium', e.kind === 'syntax' ? 'warning' : e.kind === 'skipped' ? 'skipped' : 'error')}: ${t(where)}: ${t(e.message)}`);
  }
  if (review.errors.length) out.push('');
  const deps = review.dependencies;
  if (deps && deps.status.state !== 'no-dependencies') {
    const { status } = deps;
    const active = deps.advisories.filter((a) => !a.ignored);
    if (status.state === 'unavailable') out.push(paint('high', `Dependency check unavailable: ${t(status.message ?? 'the advisory source failed')}. Vulnerable pins may be missing from this report.`));
    else if (status.state === 'disabled') out.push('Dependency advisories: off (dependencies.enabled: false).');
    else out.push(`Dependency advisories: ${plural(status.packages, 'pinned package')} checked against ${t(status.source ?? 'OSV')}; ${plural(active.length, 'advisory', 'advisories')}${deps.advisories.length > active.length ? ` (${deps.advisories.length - active.length} ignored by dependencies.ignore)` : ''}.`);
    for (const note of deps.notes) out.push(`  ${t(note)}`);
    out.push('');
  }

  const counts = countBySeverity(review.findings);
  const parts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => counts[s]).map((s) => paint(s, `${counts[s]} ${s}`));
  const { stats } = review;
  const files = `${plural(stats.filesAnalysed, 'file')} analysed (${plural(stats.lines, 'line')})`;
  const head = review.findings.length
    ? `${plural(review.findings.length, 'finding')} (${parts.join(', ')}) in ${plural(new Set(review.findings.map((f) => f.location.path)).size, 'file')}; ${files}`
    : `No findings; ${files}`;
  const extras: string[] = [];
  if (review.suppressed.length) extras.push(`${review.suppressed.length} suppressed inline (# nosec, # pyward: ignore)`);
  if (stats.filesSkipped) extras.push(`${plural(stats.filesSkipped, 'file')} skipped`);
  if (stats.dataflow?.functionsOverBudget) extras.push(`${plural(stats.dataflow.functionsOverBudget, 'function')} without data flow (over budget)`);
  const syntax = review.errors.filter((e) => e.kind === 'syntax').length;
  if (syntax) extras.push(`${plural(syntax, 'file')} with syntax errors`);
  extras.push(`${(stats.durationMs / 1000).toFixed(2)}s`);
  out.push(`${paint('bold', head)}; ${extras.join('; ')}. Fails at: ${options.failOn}.`);
  const cut = cutSummary(stats.findingsCut ?? []);
  if (cut) out.push(t(`${cut}.`));
  return `${out.map(defuseWorkflowCommand).join('\n')}\n`;
}
