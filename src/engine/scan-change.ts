/**
 * A change (pull request or git range) -> a review of what it added. Every touched Python file is analysed
 * whole (imports and data flow need it); findings count as new when their span touches an added line.
 */
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { AddedLines } from '../diff/patch.js';
import { analyzeFile, type ActiveRules } from './analyze-file.js';
import { applyDataFlow } from './flow-findings.js';
import { capPerFile, mergeCuts } from './cap-findings.js';
import { factsFiles, isPythonConfigFile, projectFacts } from './project-facts.js';
import type { ProjectFacts } from '../rules/settings/project.js';
import type { ChangeReview, ChangeSet, FileResult, Finding } from './types.js';

export interface ScanChangeOptions {
  parser: Parser;
  config: Config;
  active: ActiveRules;
  /** Milliseconds since some origin; injected so tests are deterministic. */
  now: () => number;
  /** Paths the config's `paths.ignore` excludes. */
  isIgnored?: (path: string) => boolean;
  /**
   * Asked before each file, between the phases of a file's analysis and every few dozen nodes of its rule
   * walk (see analyze-file.ts's `Checkpoint`), and before the project-wide data flow: true stops the scan
   * with a {@link ScanStopped} (the review timed out or was superseded). The scan is synchronous, so no
   * timer or abort event can interrupt it: it has to ask.
   */
  shouldStop?: () => boolean;
  /** What the change's files and the files read beside it say about the project; computed here when absent. */
  project?: ProjectFacts;
}

/** The scan was stopped before it finished (its `shouldStop` said so): nothing of it is reported. */
export class ScanStopped extends Error {}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

function checkStop(options: ScanChangeOptions, done: number, inside?: string): void {
  if (options.shouldStop?.()) throw new ScanStopped(inside === undefined ? `the scan was stopped after ${files(done)}` : `the scan was stopped in the middle of ${inside}, after ${files(done)}`);
}

/** The checkpoint of one file's analysis; none when nothing can stop the scan. */
const checkpointIn = (options: ScanChangeOptions, done: number, path: string) => (options.shouldStop ? () => checkStop(options, done, path) : undefined);

export function isPythonPath(path: string): boolean {
  return path.endsWith('.py') || path.endsWith('.pyi');
}

/** The project facts of a change: its files, the imported modules and the settings context read beside it. */
export function changeFacts(change: ChangeSet, parser: Parser): ProjectFacts {
  return projectFacts(parser, factsFiles([...change.files, ...(change.context?.files ?? []), ...(change.project?.files ?? [])]));
}

export function scanChange(change: ChangeSet, options: ScanChangeOptions): ChangeReview {
  const started = options.now();
  const added = AddedLines.fromPatches(change.files);
  const skipped = [...change.skipped];
  const results: FileResult[] = [];
  const project = options.project ?? changeFacts(change, options.parser);
  for (const file of change.files) {
    // A `.cfg` file an app loads with `from_pyfile` is Python: the Python rules read it.
    if (!isPythonPath(file.path) && !isPythonConfigFile(project, file.path)) continue;
    if (file.status === 'removed') continue;
    if (options.isIgnored?.(file.path)) {
      skipped.push({ path: file.path, reason: 'ignored by paths.ignore' });
      continue;
    }
    if (file.head === undefined) {
      skipped.push({ path: file.path, reason: 'content not available' });
      continue;
    }
    checkStop(options, results.length);
    // git counts a CR-only file as one line: map its added lines onto the lines findings are reported on.
    added.splitBareCr(file.path, file.head);
    results.push(analyzeFile(options.parser, { path: file.path, content: file.head }, options.config, options.active, project, checkpointIn(options, results.length, file.path)));
  }
  // Imported modules of the project, read for data flow only: their summaries, never their findings.
  const changed = new Set(results.map((r) => r.path));
  const context: FileResult[] = [];
  if (options.active.dataflow && options.config.dataflow.enabled) {
    for (const file of change.context?.files ?? []) {
      if (changed.has(file.path) || !isPythonPath(file.path) || options.isIgnored?.(file.path)) continue;
      checkStop(options, results.length + context.length);
      context.push(analyzeFile(options.parser, { path: file.path, content: file.head }, options.config, options.active, project, checkpointIn(options, results.length + context.length, file.path)));
    }
  }
  if (options.active.dataflow && options.config.dataflow.enabled) checkStop(options, results.length + context.length);
  const dataflow = applyDataFlow([...results, ...context], options.active.rules, options.config, options.active.isRuleWord, undefined, (path) => changed.has(path));
  const isNew = (f: Finding) => added.firstAddedIn(f.location.path, f.location.startLine, f.location.endLine) !== undefined || anchorOnAddedStep(f, added);
  // A flow whose sink is in an imported module is the change's when its path runs through a changed file.
  const throughChange = context.flatMap((r) => r.findings.filter((f) => f.flow?.some((s) => changed.has(s.location.path))));
  const all = [...results.flatMap((r) => r.findings), ...throughChange];
  const fresh = capPerFile(all.filter(isNew));
  const old = capPerFile(all.filter((f) => !isNew(f)));
  const findingsCut = mergeCuts(fresh.cut, old.cut);
  return {
    findings: fresh.kept,
    preExisting: old.kept,
    suppressed: results.flatMap((r) => r.suppressed).filter(isNew),
    ...(contextNote(change, context.length) ?? {}),
    errors: results.flatMap((r) => r.errors),
    skipped,
    ...(change.truncated ? { truncated: change.truncated } : {}),
    baseSha: change.baseSha,
    headSha: change.headSha,
    stats: {
      filesAnalysed: results.filter((r) => r.analysed).length,
      filesSkipped: results.filter((r) => !r.analysed).length + skipped.length,
      lines: results.reduce((n, r) => n + r.lines, 0),
      durationMs: options.now() - started,
      ...(dataflow ? { dataflow } : {}),
      ...(findingsCut.length ? { findingsCut } : {}),
    },
  };
}

/** What the review read beside the change, for the summary: imported modules, and notes on both kinds of reads. */
function contextNote(change: ChangeSet, files: number): { context: NonNullable<ChangeReview['context']> } | undefined {
  if (!change.context && !change.project?.note) return undefined;
  const note = [change.context?.note, change.project?.note].filter(Boolean).join('; ');
  return { context: { files, ...(note ? { note } : {}), ...(change.context?.unavailable ? { unavailable: change.context.unavailable } : {}) } };
}

/**
 * A flow whose sink is old code but that the change now feeds (a new route calling an existing helper) is
 * new too: it moves to the first step on an added line, where a review comment can sit, and says where the
 * sink is. Returns true when it did.
 */
function anchorOnAddedStep(f: Finding, added: AddedLines): boolean {
  if (!f.flow) return false;
  const step = f.flow.find((s) => added.firstAddedIn(s.location.path, s.location.startLine, s.location.endLine) !== undefined);
  if (!step) return false;
  const sink = f.location;
  f.location = { ...step.location };
  f.message = `${f.message} (The sink is unchanged code at ${sink.path}:${sink.startLine}; this change is what brings the data to it.)`;
  return true;
}
