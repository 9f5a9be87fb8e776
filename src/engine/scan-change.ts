/**
 * A change (pull request or git range) -> a review of what it added. Every touched Python file is analysed
 * whole (imports and data flow need it); findings count as new when their span touches an added line.
 */
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { AddedLines } from '../diff/patch.js';
import { analyzeFile, type ActiveRules } from './analyze-file.js';
import type { ChangeReview, ChangeSet, FileResult, Finding } from './types.js';

export interface ScanChangeOptions {
  parser: Parser;
  config: Config;
  active: ActiveRules;
  /** Milliseconds since some origin; injected so tests are deterministic. */
  now: () => number;
  /** Paths the config's `paths.ignore` excludes. */
  isIgnored?: (path: string) => boolean;
}

export function isPythonPath(path: string): boolean {
  return path.endsWith('.py') || path.endsWith('.pyi');
}

export function scanChange(change: ChangeSet, options: ScanChangeOptions): ChangeReview {
  const started = options.now();
  const added = AddedLines.fromPatches(change.files);
  const skipped = [...change.skipped];
  const results: FileResult[] = [];
  for (const file of change.files) {
    if (!isPythonPath(file.path)) continue;
    if (file.status === 'removed') continue;
    if (options.isIgnored?.(file.path)) {
      skipped.push({ path: file.path, reason: 'ignored by paths.ignore' });
      continue;
    }
    if (file.head === undefined) {
      skipped.push({ path: file.path, reason: 'content not available' });
      continue;
    }
    results.push(analyzeFile(options.parser, { path: file.path, content: file.head }, options.config, options.active));
  }
  const isNew = (f: Finding) => added.firstAddedIn(f.location.path, f.location.startLine, f.location.endLine) !== undefined;
  const all = results.flatMap((r) => r.findings);
  return {
    findings: all.filter(isNew),
    preExisting: all.filter((f) => !isNew(f)),
    suppressed: results.flatMap((r) => r.suppressed).filter(isNew),
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
    },
  };
}
