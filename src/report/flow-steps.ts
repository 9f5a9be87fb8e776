/**
 * A data-flow finding's path, as each output shows it: indented lines in the terminal, a numbered list of
 * linked steps in a review comment, `source -> sink` in a check-run table. And which findings a review
 * shows: a Bandit finding covered by a data-flow finding on the same call is left to the latter.
 */
import type { Finding, FlowStep } from '../engine/types.js';
import { mdCode, mdLink, mdText } from './markdown.js';

/** Findings a review, an annotation list or a check-run table shows: one entry per problem. */
export function oneEntryPerProblem<T extends Finding>(findings: readonly T[]): T[] {
  return findings.filter((f) => !f.coveredBy);
}

/** `line 12` when the whole flow is in one file, else `path:12`. */
function where(step: FlowStep, flow: readonly FlowStep[]): string {
  return flow.every((s) => s.location.path === step.location.path) ? `line ${step.location.startLine}` : `${step.location.path}:${step.location.startLine}`;
}

/** Terminal: one step a line, `path:line  label`. */
export function flowTextLines(f: Finding): string[] {
  if (!f.flow?.length) return [];
  return f.flow.map((s, i) => `${i === 0 ? 'flow:' : '     '} ${`${s.location.path}:${s.location.startLine}`.padEnd(24)} ${s.label}`);
}

/** `request.args.get("q")` (line 10) -> `cursor.execute(query)` (line 14), for a table cell. */
export function flowSummary(f: Finding): string | undefined {
  if (!f.flow?.length) return undefined;
  const first = f.flow[0];
  const last = f.flow[f.flow.length - 1];
  const code = (text: string) => mdCode(text, { table: true });
  return `${code(first.label)} (${mdText(where(first, f.flow))}) → ${code(last.label)} (${mdText(where(last, f.flow))})`;
}

/** Markdown: the steps as a numbered list, each linked to its line when `fileUrl` is given. */
export function flowMarkdown(f: Finding, fileUrl?: (path: string, line: number) => string): string | undefined {
  if (!f.flow?.length) return undefined;
  const items = f.flow.map((s, i) => {
    const place = `${s.location.path}:${s.location.startLine}`;
    const linked = fileUrl ? mdLink(place, fileUrl(s.location.path, s.location.startLine)) : mdCode(place);
    return `${i + 1}. ${mdCode(s.label)} ${linked}`;
  });
  return `**Data flow** (source to sink):\n\n${items.join('\n')}`;
}

/** What a covering finding tells Bandit users. */
export function coversNote(f: Finding): string | undefined {
  if (!f.covers?.length) return undefined;
  const ids = f.covers.map((id) => mdCode(id)).join(', ');
  return `Also reported by Bandit's ${ids} on the same call (kept in JSON and SARIF); ${mdCode(`# nosec ${f.covers[0]}`)} on the sink's line silences both.`;
}
