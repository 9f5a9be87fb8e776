/**
 * The whole review of a change: Python files through the rules (scanChange) and dependency files through
 * the PW5xx rules and the advisory source (scanDependencies). What the app and `pyward scan --diff` run.
 */
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { DEPENDENCY_CHECKS_PENDING, isDependencyFile } from '../dependencies/dependency-files.js';
import { AddedLines } from '../diff/patch.js';
import { isConfigFile, scanConfigFiles } from './scan-config-files.js';
import { changeFacts, scanChange, type ScanChangeOptions } from './scan-change.js';
import { isPythonConfigFile } from './project-facts.js';
import { scanDependencies } from './scan-dependencies.js';
import { applySuppressionPolicy, suppressionPolicy } from './suppressions.js';
import type { ChangeReview, ChangeSet, Finding } from './types.js';

export interface ReviewChangeOptions extends ScanChangeOptions {
  /** Undefined: advisory checks are off (hygiene rules still run). */
  advisories?: AdvisorySource;
  /** YYYY-MM-DD: the review's date, for the expiry of `dependencies.ignore` entries and `until=` suppressions. */
  today: string;
}

const byPlace = (a: Finding, b: Finding) =>
  a.location.path.localeCompare(b.location.path) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn || a.ruleId.localeCompare(b.ruleId);

export async function reviewChange(change: ChangeSet, options: ReviewChangeOptions): Promise<ChangeReview> {
  const started = options.now();
  // Suppressions are judged on the review's date: expired ones (and unreasoned ones where a reason is required) stop.
  const project = options.project ?? changeFacts(change, options.parser);
  const policy = suppressionPolicy(options.config, options.today);
  const code = applySuppressionPolicy(scanChange(change, { ...options, project }), policy);
  const dependencyFiles = change.files.filter((f) => isDependencyFile(f.path) && !options.isIgnored?.(f.path));
  const deps = await scanDependencies(dependencyFiles, {
    config: options.config,
    rules: options.active.rules,
    ...(options.advisories ? { advisories: options.advisories } : {}),
    added: AddedLines.fromPatches(change.files),
    today: options.today,
    ...(change.includes ? { includes: change.includes } : {}),
  });
  const analysedDeps = dependencyFiles.filter((f) => f.status !== 'removed').length;
  // Credentials (PW401-PW403) in changed configuration files, on the lines the change added.
  const configFiles = change.files.filter((f) => isConfigFile(f.path) && !isPythonConfigFile(project, f.path) && !options.isIgnored?.(f.path));
  const scanned = scanConfigFiles(configFiles, { rules: options.active.rules, added: AddedLines.fromPatches(change.files), honourComments: options.config.suppressions.nosec, isRuleWord: options.active.isRuleWord });
  const secrets = { ...scanned, ...applySuppressionPolicy({ findings: scanned.findings, suppressed: scanned.suppressed }, policy) };
  const analysedConfig = configFiles.filter((f) => f.status !== 'removed' && !isDependencyFile(f.path)).length;
  return {
    ...code,
    findings: [...code.findings, ...deps.findings, ...secrets.findings].sort(byPlace),
    preExisting: [...code.preExisting, ...deps.preExisting, ...secrets.preExisting].sort(byPlace),
    suppressed: [...code.suppressed, ...deps.suppressed, ...secrets.suppressed],
    errors: [...code.errors, ...deps.errors],
    // The change source lists dependency files as pending when it cannot read them; here they were read.
    skipped: code.skipped.filter((s) => !(s.reason === DEPENDENCY_CHECKS_PENDING && dependencyFiles.some((f) => f.path === s.path))),
    dependencies: { status: deps.status, advisories: deps.advisories, notes: deps.notes },
    stats: { ...code.stats, filesAnalysed: code.stats.filesAnalysed + analysedDeps + analysedConfig, durationMs: options.now() - started },
  };
}
