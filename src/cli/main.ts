/** `pyward` command line: argv -> exit code. Reads files and writes the report; the engine does the rest. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { formatConfigErrors, parseConfig, type Config, DEFAULT_CONFIG } from '../config/schema.js';
import { prepareRules } from '../engine/analyze-file.js';
import { applyDataFlow } from '../engine/flow-findings.js';
import type { ChangedFile, DependencyReport, FileResult, Review } from '../engine/types.js';
import type { DependencyScan } from '../engine/scan-dependencies.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { isDependencyFile } from '../dependencies/dependency-files.js';
import type { Rule } from '../rules/rule.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { failsAt } from '../report/summary.js';
import { renderText } from '../report/text.js';
import { defuseWorkflowCommand, terminalText } from '../report/terminal.js';
import { mdCode } from '../report/markdown.js';
import { ALL_RULES, ruleConfigErrors, selectRules, withRuleIdOptions } from '../rules/registry.js';
import { parseCommand, USAGE, UsageError, type ScanArgs } from './args.js';
import { collectFiles, displayPath } from './files.js';
import { defaultJobs, runFiles } from './run-files.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export function toolVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/**
 * The config file's settings overlaid with command-line flags. `--config` is relative to the current
 * directory; the default `.github/pyward.yml` is looked up in `root` (the repository for --diff).
 */
function loadConfig(args: ScanArgs, io: Io, root = io.cwd): { config: Config; source?: string } | { error: string } {
  let config = DEFAULT_CONFIG;
  let source: string | undefined;
  const defaultPath = join(root, '.github/pyward.yml');
  const path = args.config ?? (existsSync(defaultPath) ? displayPath(defaultPath, io.cwd) : undefined);
  if (path) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, path), 'utf8');
    } catch (err) {
      return { error: `cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    const parsed = parseConfig(text);
    if (!parsed.ok) return { error: `invalid configuration:\n${formatConfigErrors(parsed.errors, path)}` };
    config = parsed.config;
    source = path;
  }
  config = {
    ...config,
    fail_on: args.failOn ?? config.fail_on,
    min_severity: args.minSeverity ?? config.min_severity,
    min_confidence: args.minConfidence ?? config.min_confidence,
    max_file_size: args.maxFileSize ?? config.max_file_size,
    rules: {
      ...config.rules,
      select: args.select.length ? args.select : config.rules.select,
      disable: [...config.rules.disable, ...args.ignore],
    },
    paths: { ignore: [...config.paths.ignore, ...args.exclude] },
    suppressions: { nosec: args.ignoreNosec ? false : config.suppressions.nosec },
  };
  const problems = ruleConfigErrors(config);
  if (problems.length) return { error: problems.map((e) => `${e.key}: ${e.message}`).join('\n') };
  return { config: withRuleIdOptions(config), source };
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

/** Exit 2 when the report is incomplete: an internal error, or files to analyse and none analysed. */
function incomplete(review: Review, attempted: number, io: Io): boolean {
  const internal = review.errors.filter((e) => e.kind === 'internal');
  if (internal.length) {
    io.stderr.write(`pyward: internal error in ${internal.length} file(s); the report above is incomplete\n`);
    return true;
  }
  if (attempted > 0 && review.stats.filesAnalysed === 0) {
    // Not a pass: nothing was looked at.
    io.stderr.write(`pyward: none of the ${attempted} file(s) could be analysed (see the messages above)\n`);
    return true;
  }
  return false;
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
async function checkDependencyFiles(files: { path: string; display: string }[], config: Config, rules: readonly Rule[], advisories: AdvisorySource | undefined): Promise<DependencyScan & { lines: number }> {
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
  const scan = await scanDependencies(changed, { config, rules, ...(advisories ? { advisories } : {}), today: new Date().toISOString().slice(0, 10) });
  return { ...scan, errors: [...errors, ...scan.errors], lines };
}

function mergeDependencies(deps: DependencyScan, files: number): { dependencies?: DependencyReport } {
  return files ? { dependencies: { status: deps.status, advisories: deps.advisories, notes: deps.notes } } : {};
}

/** `scan --diff BASE..HEAD`: the pipeline lives in scan-diff.ts; here only config, output and exit code. */
async function scanRange(args: ScanArgs & { diff: NonNullable<ScanArgs['diff']> }, io: Io): Promise<number> {
  const repoDir = resolve(io.cwd, args.repo ?? '.');
  const loaded = loadConfig(args, io, repoDir);
  if ('error' in loaded) {
    io.stderr.write(`pyward: ${terminalLines(loaded.error)}\n`);
    return EXIT_ERROR;
  }
  const [{ GitError }, { scanDiff }] = await Promise.all([import('./git-source.js'), import('./scan-diff.js')]);
  const advisories = loaded.config.dependencies.enabled ? await advisorySourceFor(args, io, loaded.config) : undefined;
  let result;
  try {
    result = await scanDiff(args, {
      config: loaded.config,
      configSource: loaded.source ? mdCode(loaded.source) : 'defaults (no `.github/pyward.yml`)',
      repoDir,
      toolVersion: toolVersion(),
      color: colorFor(args, io),
      ...(advisories ? { advisories } : {}),
    });
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    io.stderr.write(`pyward: ${terminalLines(err.message)}\n`);
    return EXIT_ERROR;
  }
  if (!writeReport(result.report, args, io)) return EXIT_ERROR;
  // Only analysis failures count here: a change that touches no Python file is a pass.
  const attempted = result.review.stats.filesAnalysed + result.review.errors.filter((e) => e.kind === 'skipped').length;
  if (incomplete(result.review, attempted, io)) return EXIT_ERROR;
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
  const selection = collectFiles(args.paths, io.cwd, config.paths.ignore);
  if (selection.missing.length) {
    io.stderr.write(`pyward: no such file or directory: ${selection.missing.map(terminalText).join(', ')}\n`);
    return EXIT_ERROR;
  }
  const all = selection.files.map((path) => ({ path, display: displayPath(path, io.cwd) }));
  // Explicitly named files are Python unless their name says they list dependencies.
  const requests = all.filter((r) => !isDependencyFile(r.display));
  const dependencyFiles = all.filter((r) => isDependencyFile(r.display));
  const results = await runFiles(requests, config, args.jobs ?? defaultJobs());
  const rules = selectRules(config);
  const dataflow = applyDataFlow(results, rules, config, prepareRules(rules, ALL_RULES, config).isRuleWord);
  const review = mergeResults(results, performance.now() - started);
  if (dataflow) review.stats.dataflow = dataflow;
  if (dependencyFiles.length) {
    const deps = await checkDependencyFiles(dependencyFiles, config, rules, await advisorySourceFor(args, io, config));
    Object.assign(review, mergeDependencies(deps, dependencyFiles.length));
    review.findings = [...review.findings, ...deps.findings];
    review.errors = [...review.errors, ...deps.errors];
    review.stats.filesAnalysed += dependencyFiles.length - deps.errors.length;
    review.stats.lines += deps.lines;
    if (deps.status.state === 'unavailable') io.stderr.write(`pyward: dependency check unavailable: ${terminalText(deps.status.message ?? 'unknown error')}\n`);
  }
  review.stats.durationMs = performance.now() - started;
  const failed = failsAt(review, config.fail_on);

  let report: string;
  if (args.format === 'json') report = renderJson(review, { toolVersion: toolVersion(), failed });
  else if (args.format === 'sarif') report = `${JSON.stringify(renderSarif(review, rules, { toolVersion: toolVersion() }), null, 2)}\n`;
  else report = renderText(review, rules, { color: colorFor(args, io), failOn: config.fail_on });
  if (!writeReport(report, args, io)) return EXIT_ERROR;
  if (incomplete(review, all.length, io)) return EXIT_ERROR;
  if (all.length === 0) io.stderr.write('pyward: no Python or dependency files found under the given paths\n');
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
