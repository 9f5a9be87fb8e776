/**
 * GitHub Actions workflow commands (`::error file=app.py,line=3,col=5,title=B602 ...::message`): findings
 * as annotations in a CI log (`pyward scan --format github`, and the Action when its token cannot create a
 * check run). Everything that comes from the scanned code (paths, messages, snippets) is escaped the way
 * the runner unescapes it, so a file name or a message cannot end a command early or start another.
 */
import { severityRank, type AnalysisError, type Finding, type Review, type Severity } from '../engine/types.js';
import { oneEntryPerProblem } from './flow-steps.js';
import { compareFindings } from './review-comments.js';
import { countBySeverity, plural } from './summary.js';

export type WorkflowCommand = 'error' | 'warning' | 'notice';

/** A command's message: `%`, CR and LF are escaped (the runner turns `%0A` back into a new line). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as a message, plus `:` (ends the properties) and `,` (separates them). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: WorkflowCommand, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** Findings at or above fail-on are errors (they fail the job), medium and high below it warnings, low notices. */
export function commandFor(severity: Severity, failOn: Severity): WorkflowCommand {
  if (severityRank(severity) >= severityRank(failOn)) return 'error';
  return severity === 'low' ? 'notice' : 'warning';
}

function findingCommand(f: Finding, failOn: Severity): string {
  const { path, startLine, startColumn, endLine, endColumn } = f.location;
  const oneLine = startLine === endLine;
  return workflowCommand(
    commandFor(f.severity, failOn),
    {
      file: path,
      line: startLine,
      ...(oneLine ? { col: startColumn, endColumn: Math.max(startColumn, endColumn - 1) } : { endLine }),
      title: `${f.ruleId} ${f.ruleName} (${f.severity})`,
    },
    `${f.message}${f.fix ? `\nFix: ${f.fix.description}` : ''}`,
  );
}

function errorCommand(e: AnalysisError): string {
  return workflowCommand('warning', { file: e.path, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { col: e.column } : {}), title: `pyward: ${e.kind === 'syntax' ? 'syntax error' : 'not analysed'}` }, e.message);
}

/** The whole report: one command per finding (most severe first), one per file not analysed, and a count line. */
export function renderWorkflowCommands(review: Review, options: { failOn: Severity }): string {
  const findings = [...oneEntryPerProblem(review.findings)].sort(compareFindings);
  const lines = findings.map((f) => findingCommand(f, options.failOn));
  for (const e of review.errors) lines.push(errorCommand(e));
  const counts = countBySeverity(findings);
  const parts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  lines.push(`pyward: ${plural(findings.length, 'finding')}${parts.length ? ` (${parts.join(', ')})` : ''} in ${plural(review.stats.filesAnalysed, 'file')}`);
  return `${lines.join('\n')}\n`;
}
