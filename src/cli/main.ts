/** `pyward` command line: argv -> exit code. Reads files and writes the report; the engine does the rest. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sarifRuleUrl } from './links.js';
import { join, resolve } from 'node:path';
import { formatConfigErrors, parseConfig, type Config, DEFAULT_CONFIG } from '../config/schema.js';
import { prepareRules } from '../engine/analyze-file.js';
import { applyDataFlow } from '../engine/flow-findings.js';
import { applySuppressionPolicy, suppressionPolicy } from '../engine/suppressions.js';
import { capPerFile } from '../engine/cap-findings.js';
import type { ChangedFile, DependencyReport, FileResult, Review } from '../engine/types.js';
import type { DependencyScan } from '../engine/scan-dependencies.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { isDependencyFile } from '../dependencies/dependency-files.js';
import { isConfigFile, scanConfigFiles } from '../engine/scan-config-files.js';
import { isPythonConfigFile } from '../engine/project-facts.js';
import { scanFacts } from './scan-facts.js';
import type { Rule } from '../rules/rule.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { fitSarif } from '../report/sarif-limits.js';
import { failsAt } from '../report/summary.js';
import { renderText } from '../report/text.js';
import { defuseWorkflowCommand, terminalText } from '../report/terminal.js';
import { mdCode } from '../report/markdown.js';
import { ALL_RULES, ruleConfigErrors, selectRules, withRuleIdOptions } from '../rules/registry.js';
import { parseCommand, USAGE, UsageError, type ScanArgs } from './args.js';
import { collectFiles, displayPath } from './files.js';
import { checkProposedConfig, CONFIG_PATH, type ProposedConfigCheck } from '../engine/proposed-config.js';
import { notReviewed } from '../report/completeness.js';
import { defaultJobs, runFiles } from './run-files.js';
import { readBaseline, withoutBaseline } from './baseline.js';
import { createProgress } from './progress.js';
import { renderWorkflowCommands } from '../report/workflow-commands.js';
import { packageVersion } from '../package-info.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Clock of the progress bar (tests drive it). */
  now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export const toolVersion = packageVersion;


/**
 * The config file's settings overlaid with command-line flags. `--config` is relative to the current
 * directory; the default `.github/pyward.yml` is looked up in `root`.
 */
function loadConfig(args: ScanArgs, io: Io, root = io.cwd): LoadedConfig | { error: string } {
  const defaultPath = join(root, CONFIG_PATH);
  const path = args.config ?? (existsSync(defaultPath) ? displayPath(defaultPath, io.cwd) : undefined);
  if (!path) return withFlags(DEFAULT_CONFIG, undefined, args);
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    return { error: `cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const parsed = parseConfig(text);
  if (!parsed.ok) return { error: `invalid configuration:\n${formatConfigErrors(parsed.errors, path)}` };
  return withFlags(parsed.config, path, args);
}

interface LoadedConfig {
  config: Config;
  source?: string;
  /** `--diff`: the range's own copy of the config, validated and reported, never applied. */
  proposed?: ProposedConfigCheck;
}

function withFlags(base: Config, source: string | undefined, args: ScanArgs): LoadedConfig | { error: string } {
  const config: Config = {
    ...base,
    fail_on: args.failOn ?? base.fail_on,
    min_severity: args.minSeverity ?? base.min_severity,
    min_confidence: args.minConfidence ?? base.min_confidence,
    max_file_size: args.maxFileSize ?? base.max_file_size,
    rules: {
      ...base.rules,
      select: args.select.length ? args.select : base.rules.select,
      disable: [...base.rules.disable, ...args.ignore],
    },
    paths: { ignore: [...base.paths.ignore, ...args.exclude] },
    suppressions: { ...base.suppressions, nosec: args.ignoreNosec ? false : base.suppressions.nosec },
  };
  const problems = ruleConfigErrors(config);
  if (problems.length) return { error: problems.map((e) => `${e.key}: ${e.message}`).join('\n') };
  return { config: withRuleIdOptions(config), ...(source ? { source } : {}) };
}

/**
 * `--diff` without `--config`: the config is the one at the range's base, read from git as the App reads
 * the default branch's (so a change checked out in CI cannot switch its own checks off). The head's copy,
 * when the range changes it, is validated and reported. Symbolic links are never followed, and a config's
 * values are never echoed.
 */
async function loadDiffConfig(args: ScanArgs & { diff: NonNullable<ScanArgs['diff']> }, io: Io, repoDir: string): Promise<LoadedConfig | { error: string }> {
  if (args.config) return loadConfig(args, io, repoDir);
  const { readTreeEntry, resolveRange } = await import('./git-source.js');
  const { baseSha, headSha } = await resolveRange(repoDir, args.diff.base, args.diff.head, { mergeBase: args.diff.mergeBase });
  const base = await readTreeEntry(repoDir, baseSha, CONFIG_PATH);
  const at = `${CONFIG_PATH} at ${baseSha.slice(0, 12)} (the base of the range)`;
  let loaded: LoadedConfig | { error: string };
  if (base?.kind === 'symlink') return { error: `${at} is a symbolic link; pyward does not follow links: make it a regular file, or pass --config FILE` };
  if (base?.kind === 'file') {
    const parsed = parseConfig(base.bytes.toString('utf8'));
    if (!parsed.ok) return { error: `invalid configuration:\n${formatConfigErrors(parsed.errors, at)}` };
    loaded = withFlags(parsed.config, at, args);
  } else {
    loaded = withFlags(DEFAULT_CONFIG, undefined, args);
  }
  if ('error' in loaded) return loaded;
  const head = await readTreeEntry(repoDir, headSha, CONFIG_PATH);
  if (!head || head.id === base?.id || head.kind === 'other') return loaded;
  const proposed = checkProposedConfig(head.kind === 'file' ? { kind: 'file', text: head.bytes.toString('utf8') } : { kind: 'symlink' }, 'This change');
  return { ...loaded, proposed };
}

/** `--baseline FILE`, read once: undefined without the flag. */
function baselineFor(args: ScanArgs, io: Io): ReturnType<typeof readBaseline> | undefined {
  return args.baseline === undefined ? undefined : readBaseline(resolve(io.cwd, args.baseline), args.baseline);
}

function noteBaseline(args: ScanArgs, io: Io, known: number | undefined): void {
  if (args.baseline !== undefined && known && !args.quiet) io.stderr.write(`pyward: ${known} finding(s) already in the baseline ${args.baseline} not reported\n`);
}

/** `--quiet`: a text report with nothing to say is not printed (the machine formats always are). */
function quietReport(report: string, review: Review, args: ScanArgs): string {
  return args.quiet && (args.format === 'text' || args.format === 'github') && !review.findings.length && !review.errors.length ? '' : report;
}

export function mergeResults(results: FileResult[], durationMs: number): Review {
  return {
    findings: results.flatMap((r) => r.findings),
    suppressed: results.flatMap((r) => r.suppressed),
    errors: results.flatMap((r) => r.errors),
    stats: {
      filesAnalysed: results.filter((r) => r.analysed).length,
      filesSkipped: results.filter((r) => !r.analysed).length,
      lines: results.reduce((n, r) => n + r.lines, 0),
      durationMs,
    },
  };
}

function writeReport(report: string, args: ScanArgs, io: Io): boolean {
  if (!args.output) {
    io.stdout.write(report);
    return true;
  }
  try {
    writeFileSync(resolve(io.cwd, args.output), report);
    return true;
  } catch (err) {
    io.stderr.write(`pyward: cannot write ${args.output}: ${(err as Error).message}\n`);
    return false;
  }
}

function colorFor(args: ScanArgs, io: Io): boolean {
  return args.color ?? (args.output === undefined && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
}

/**
 * Exit 2 when the report is incomplete: something was not reviewed (fail closed, as the App's check: a
 * file skipped for size, depth or encoding, an internal error, a source down, an invalid proposed config)
 * unless `incomplete: neutral`, or files to analyse and none analysed (nothing scanned is never a pass).
 */
function incomplete(review: Review, attempted: number, io: Io, config: Config): boolean {
  const missing = notReviewed(review);
  if (missing.length) {
    const listed = missing.slice(0, 20).map((m) => `  ${m.path ? `${m.path}: ` : ''}${m.reason}`);
    if (missing.length > 20) listed.push(`  … and ${missing.length - 20} more`);
    const verdict = config.incomplete === 'neutral' ? 'not failing because of `incomplete: neutral`' : 'failing (set `incomplete: neutral` to let incomplete reviews pass)';
    io.stderr.write(`pyward: the review is incomplete, ${verdict}; not reviewed:\n${listed.join('\n')}\n`);
  }
  if (attempted > 0 && review.stats.filesAnalysed === 0) {
    // Not a pass: nothing was looked at (softened only by `incomplete: neutral`, as the App's check is).
    io.stderr.write(`pyward: none of the ${attempted} file(s) could be analysed (see the messages above)\n`);
    return !missing.length || config.incomplete !== 'neutral';
  }
  return missing.length > 0 && config.incomplete !== 'neutral';
}

/** `--advisory-db PATH`, else PYWARD_ADVISORY_DB, else the OSV API; none when `dependencies.enabled` is false. */
async function advisorySourceFor(args: ScanArgs, io: Io, config: Config): Promise<AdvisorySource | undefined> {
  if (!config.dependencies.enabled) return undefined;
  // Loaded on demand, as the other parts a plain scan of Python files does not need: start-up is serial time.
  const { advisorySourceFromEnv } = await import('../dependencies/advisories/select-source.js');
  const env = args.advisoryDb !== undefined ? { ...io.env, PYWARD_ADVISORY_DB: args.advisoryDb } : io.env;
  return advisorySourceFromEnv(env, { cwd: io.cwd });
}

/** A whole-tree scan's dependency files: every pin counts (there is no base to compare with). */
async function checkDependencyFiles(files: { path: string; display: string }[], config: Config, rules: readonly Rule[], advisories: AdvisorySource | undefined, today: string): Promise<DependencyScan & { lines: number }> {
  const changed: ChangedFile[] = [];
  let lines = 0;
  const errors: DependencyScan['errors'] = [];
  for (const f of files) {
    try {
      const head = new Uint8Array(readFileSync(f.path));
      lines += head.reduce((n, byte) => (byte === 10 ? n + 1 : n), 0);
      changed.push({ path: f.display, status: 'added', head });
    } catch (err) {
      errors.push({ path: f.display, kind: 'skipped', message: `not analysed: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    }
  }
  const { scanDependencies } = await import('../engine/scan-dependencies.js');
  const scan = await scanDependencies(changed, { config, rules, ...(advisories ? { advisories } : {}), today });
  return { ...scan, errors: [...errors, ...scan.errors], lines };
}

function mergeDependencies(deps: DependencyScan, files: number): { dependencies?: DependencyReport } {
  return files ? { dependencies: { status: deps.status, advisories: deps.advisories, notes: deps.notes } } : {};
}

/** `scan --diff BASE..HEAD`: the pipeline lives in scan-diff.ts; here only config, output and exit code. */
async function scanRange(args: ScanArgs & { diff: NonNullable<ScanArgs['diff']> }, io: Io): Promise<number> {
  const repoDir = resolve(io.cwd, args.repo ?? '.');
  const [{ GitError }, { scanDiff }] = await Promise.all([import('./git-source.js'), import('./scan-diff.js')]);
  let result;
  let loaded: LoadedConfig | { error: string };
  try {
    loaded = await loadDiffConfig(args, io, repoDir);
    if ('error' in loaded) {
      io.stderr.write(`pyward: ${terminalLines(loaded.error)}\n`);
      return EXIT_ERROR;
    }
    const baseline = baselineFor(args, io);
    if (baseline && !baseline.ok) {
      io.stderr.write(`pyward: ${baseline.error}\n`);
      return EXIT_ERROR;
    }
    const advisories = loaded.config.dependencies.enabled ? await advisorySourceFor(args, io, loaded.config) : undefined;
    result = await scanDiff(args, {
      ...(baseline ? { baseline: baseline.fingerprints } : {}),
      config: loaded.config,
      configSource: loaded.source ? mdCode(loaded.source) : 'defaults (no `.github/pyward.yml`)',
      repoDir,
      toolVersion: toolVersion(),
      color: colorFor(args, io),
      ...(advisories ? { advisories } : {}),
      ...(loaded.proposed ? { proposed: loaded.proposed } : {}),
    });
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    io.stderr.write(`pyward: ${terminalLines(err.message)}\n`);
    return EXIT_ERROR;
  }
  noteBaseline(args, io, result.known);
  if (!writeReport(quietReport(result.report, result.review, args), args, io)) return EXIT_ERROR;
  if (result.warning) io.stderr.write(`pyward: ${result.warning}\n`);
  // Only analysis failures count here: a change that touches no Python file is a pass.
  const attempted = result.review.stats.filesAnalysed + result.review.errors.filter((e) => e.kind === 'skipped').length;
  if (incomplete(result.review, attempted, io, loaded.config)) return EXIT_ERROR;
  return result.failed ? EXIT_FINDINGS : EXIT_OK;
}

async function scan(args: ScanArgs, io: Io): Promise<number> {
  if (args.diff) return scanRange({ ...args, diff: args.diff }, io);
  const started = performance.now();
  const loaded = loadConfig(args, io);
  if ('error' in loaded) {
    io.stderr.write(`pyward: ${terminalLines(loaded.error)}\n`);
    return EXIT_ERROR;
  }
  const { config } = loaded;
  const baseline = baselineFor(args, io);
  if (baseline && !baseline.ok) {
    io.stderr.write(`pyward: ${baseline.error}\n`);
    return EXIT_ERROR;
  }
  const selection = collectFiles(args.paths, io.cwd, config.paths.ignore);
  if (selection.missing.length) {
    io.stderr.write(`pyward: no such file or directory: ${selection.missing.map(terminalText).join(', ')}\n`);
    return EXIT_ERROR;
  }
  const all = selection.files.map((path) => ({ path, display: displayPath(path, io.cwd) }));
  const project = await scanFacts(all, config);
  // Explicitly named files are Python unless their name says they list dependencies; a `.cfg` a Flask app
  // loads with `from_pyfile` is Python too.
  const requests = all.filter((r) => (!isDependencyFile(r.display) && !isConfigFile(r.display)) || isPythonConfigFile(project, r.display));
  const dependencyFiles = all.filter((r) => isDependencyFile(r.display));
  const progress = createProgress(io.stderr, requests.length, { now: io.now ?? (() => performance.now()), enabled: !args.quiet });
  const results = await runFiles(requests, config, args.jobs ?? defaultJobs(), { onProgress: (done) => progress.update(done), project });
  progress.end();
  const rules = selectRules(config);
  const dataflow = applyDataFlow(results, rules, config, prepareRules(rules, ALL_RULES, config).isRuleWord);
  const today = new Date().toISOString().slice(0, 10);
  // Suppressions are judged on today's date: an expired one (or one without a required reason) stops suppressing.
  const review = applySuppressionPolicy(mergeResults(results, performance.now() - started), suppressionPolicy(config, today));
  if (dataflow) review.stats.dataflow = dataflow;
  const capped = capPerFile(review.findings);
  review.findings = capped.kept;
  if (capped.cut.length) review.stats.findingsCut = capped.cut;
  if (dependencyFiles.length) {
    const deps = await checkDependencyFiles(dependencyFiles, config, rules, await advisorySourceFor(args, io, config), today);
    Object.assign(review, mergeDependencies(deps, dependencyFiles.length));
    review.findings = [...review.findings, ...deps.findings];
    review.suppressed = [...review.suppressed, ...deps.suppressed];
    review.errors = [...review.errors, ...deps.errors];
    review.stats.filesAnalysed += dependencyFiles.length - deps.errors.length;
    review.stats.lines += deps.lines;
    if (deps.status.state === 'unavailable') io.stderr.write(`pyward: dependency check unavailable: ${terminalText(deps.status.message ?? 'unknown error')}\n`);
  }
  const configFiles = all.filter((r) => isConfigFile(r.display) && !isPythonConfigFile(project, r.display));
  if (configFiles.length) {
    // Credentials in configuration files (PW401-PW403); unreadable ones are simply not there to leak.
    const read = configFiles.flatMap((f) => {
      try {
        return [{ path: f.display, status: 'added' as const, head: new Uint8Array(readFileSync(f.path)) }];
      } catch {
        return [];
      }
    });
    const scanned = scanConfigFiles(read, { rules, honourComments: config.suppressions.nosec, isRuleWord: prepareRules(rules, ALL_RULES, config).isRuleWord });
    const secrets = applySuppressionPolicy({ findings: scanned.findings, suppressed: scanned.suppressed }, suppressionPolicy(config, today));
    review.findings = [...review.findings, ...secrets.findings];
    review.suppressed = [...review.suppressed, ...secrets.suppressed];
    review.stats.filesAnalysed += configFiles.filter((f) => !isDependencyFile(f.display)).length;
    review.stats.lines += scanned.lines;
  }
  review.stats.durationMs = performance.now() - started;
  if (baseline) {
    const kept = withoutBaseline(review.findings, baseline.fingerprints);
    review.findings = kept.findings;
    noteBaseline(args, io, kept.known);
  }
  const failed = failsAt(review, config.fail_on);

  let report: string;
  if (args.format === 'json') report = renderJson(review, { toolVersion: toolVersion(), failed });
  else if (args.format === 'sarif') {
    const sarif = fitSarif(renderSarif(review, rules, { toolVersion: toolVersion(), ruleUrl: sarifRuleUrl() }));
    report = sarif.text;
    if (sarif.cut) io.stderr.write(`pyward: ${sarif.cut}\n`);
  } else if (args.format === 'github') report = renderWorkflowCommands(review, { failOn: config.fail_on });
  else report = renderText(review, rules, { color: colorFor(args, io), failOn: config.fail_on });
  if (!writeReport(quietReport(report, review, args), args, io)) return EXIT_ERROR;
  if (incomplete(review, all.length, io, config)) return EXIT_ERROR;
  if (all.length === 0 && !args.quiet) io.stderr.write('pyward: no Python or dependency files found under the given paths\n');
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.command) {
      case 'help':
        io.stdout.write(USAGE);
        return EXIT_OK;
      case 'version':
        io.stdout.write(`pyward ${toolVersion()}\n`);
        return EXIT_OK;
      case 'rules':
        if (command.format === 'json') io.stdout.write(`${JSON.stringify(ALL_RULES.map((r) => r.meta), null, 2)}\n`);
        else for (const r of ALL_RULES) io.stdout.write(`${r.meta.id.padEnd(6)} ${r.meta.severity.padEnd(8)} ${r.meta.name.padEnd(42)} ${r.meta.doc.summary}\n`);
        return EXIT_OK;
      case 'scan':
        return await scan(command, io);
      case 'advisories-update':
        return await (await import('./advisories-command.js')).advisoriesUpdate(command, io);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`pyward: ${err.message}\n\n${USAGE}`);
      return EXIT_ERROR;
    }
    io.stderr.write(`pyward: internal error: ${(err as Error).stack ?? err}\n`);
    return EXIT_ERROR;
  }
}

/** A message of several lines (config errors), each line shown safely in a terminal or CI log. */
function terminalLines(text: string): string {
  return text.split('\n').map((line) => defuseWorkflowCommand(terminalText(line))).join('\n');
}
