/** argv -> scan options, or a usage error. Flags mirror Bandit's and Ruff's where they overlap. */
import { parseArgs } from 'node:util';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../engine/types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'github-review'] as const;
export type Format = (typeof FORMATS)[number];

/** `--diff BASE..HEAD` (diff against BASE) or `BASE...HEAD` (against their merge base), as git reads them. */
export interface DiffRange {
  base: string;
  head: string;
  mergeBase: boolean;
}

export interface ScanArgs {
  command: 'scan';
  paths: string[];
  /** Review only what a git range added, instead of scanning PATHs. */
  diff?: DiffRange;
  /** Repository for --diff (default: the current directory). */
  repo?: string;
  format: Format;
  output?: string;
  failOn?: Severity;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  select: string[];
  ignore: string[];
  exclude: string[];
  config?: string;
  ignoreNosec: boolean;
  maxFileSize?: number;
  /** Local OSV database (directory, JSON array or all.zip) instead of the OSV API. */
  advisoryDb?: string;
  jobs?: number;
  color?: boolean;
  /** No progress bar, no notes on stderr; a clean text report prints nothing. */
  quiet?: boolean;
  /** A previous JSON report: findings whose fingerprint it lists are not reported. */
  baseline?: string;
}

/** `pyward advisories update [--output PATH]`: download OSV's PyPI export for offline scans. */
export interface AdvisoriesUpdateArgs {
  command: 'advisories-update';
  output?: string;
}

export type Command =
  | ScanArgs
  | AdvisoriesUpdateArgs
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'rules'; format: 'text' | 'json' };

export class UsageError extends Error {}

export const USAGE = `Usage: pyward scan [options] [PATH...]
       pyward scan --diff BASE..HEAD [--repo DIR] [options]
       pyward rules [--format json]
       pyward advisories update [--output PATH]

Scan Python files for security problems (Bandit-compatible rule ids).
PATH is a file or directory (default: .); directories are searched recursively
for *.py, skipping .git, virtualenvs, node_modules and --exclude globs.

With --diff, review a git range as pyward reviews a pull request: the changed
Python files are analysed whole, and only findings on lines the range added
are reported (pre-existing ones are counted). BASE...HEAD diffs against the
merge base, like a pull request; an empty side means HEAD.

advisories update downloads OSV's PyPI advisories (all.zip) to PATH (default
~/.cache/pyward/osv-pypi.zip); PYWARD_ADVISORY_DB=PATH then makes pyward use
that file instead of the OSV API.

Options:
      --diff RANGE          review BASE..HEAD or BASE...HEAD instead of PATHs
      --repo DIR            the git repository for --diff (default: .)
  -f, --format FORMAT       text (default), json, sarif, github (GitHub Actions
                            workflow commands: annotations in a CI log), or (with
                            --diff) github-review: the check run and review comments as JSON
  -o, --output FILE         write the report to FILE instead of stdout
      --fail-on SEVERITY    exit 1 when a finding is at or above: low, medium, high (default), critical
      --min-severity SEV    report only findings at or above this severity (default: low)
      --min-confidence C    report only findings at or above this confidence: low (default), medium, high
      --select IDS          run only these rules (comma-separated ids, names or prefixes like B6)
      --ignore IDS          do not run these rules
      --exclude GLOB        skip paths matching GLOB (repeatable, comma-separated)
  -c, --config FILE         configuration file (default: .github/pyward.yml if present)
      --ignore-nosec        report findings even where a # nosec comment silences them
      --max-file-size BYTES skip larger files with a note (default 2 MiB)
      --advisory-db PATH    check dependency pins against a local OSV database (a
                            directory of records, a JSON array, or OSV's all.zip)
                            instead of the OSV API (also: PYWARD_ADVISORY_DB)
  -j, --jobs N              threads for a tree scan, main included (default: CPU count; 1 = no workers)
      --baseline FILE       report only findings absent from FILE, a previous
                            --format json report (matched by fingerprint)
  -q, --quiet               no progress bar or notes; print nothing when clean
      --color, --no-color   force colours on or off (default: on for a terminal)
  -h, --help                show this help
  -V, --version             print the version

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage error, invalid configuration, git error, internal error, or nothing
could be analysed.
`;

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return v;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive whole number (got '${value}')`);
  return Number(value);
}

/** `A..B`, `A...B`; an empty side is HEAD, as in git. A single revision is refused: git would diff the work tree. */
export function parseRange(spec: string): DiffRange {
  const m = /^(.*?)(\.\.\.?)(.*)$/.exec(spec);
  if (!m || (!m[1] && !m[3])) throw new UsageError(`--diff takes a range BASE..HEAD or BASE...HEAD (got '${spec}')`);
  const [, base, dots, head] = m;
  if (/\.\./.test(base) || /\.\./.test(head)) throw new UsageError(`--diff takes one range BASE..HEAD or BASE...HEAD (got '${spec}')`);
  return { base: base || 'HEAD', head: head || 'HEAD', mergeBase: dots === '...' };
}

function parseAdvisories(argv: string[]): Command {
  const [action, ...rest] = argv;
  if (action !== 'update') throw new UsageError(`unknown advisories command '${action ?? ''}' (try: pyward advisories update)`);
  let values;
  try {
    ({ values } = parseArgs({ args: rest, strict: true, options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { command: 'help' };
  return { command: 'advisories-update', ...(values.output !== undefined ? { output: values.output } : {}) };
}

/** `pyward scan`'s options, as node:util parseArgs takes them (the README test checks its snippets against them). */
export const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  diff: { type: 'string' },
  repo: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'min-severity': { type: 'string' },
  'min-confidence': { type: 'string' },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  'ignore-nosec': { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'advisory-db': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  baseline: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommand(argv: string[]): Command {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '-V' || argv[0] === '--version') return { command: 'version' };
  const [sub, ...rest] = argv;
  if (sub === 'rules') {
    const { values } = parseArgs({ args: rest, options: { format: { type: 'string', short: 'f' } }, strict: true });
    return { command: 'rules', format: oneOf(values.format, ['text', 'json'] as const, '--format') ?? 'text' };
  }
  if (sub === 'advisories') return parseAdvisories(rest);
  if (sub !== 'scan') throw new UsageError(`unknown command '${sub}' (try: pyward scan PATH)`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: SCAN_OPTIONS,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const diff = values.diff === undefined ? undefined : parseRange(values.diff);
  const format = oneOf(values.format, FORMATS, '--format') ?? 'text';
  if (diff && positionals.length) throw new UsageError(`--diff reviews a git range and takes no PATH (got '${positionals[0]}')`);
  if (!diff && values.repo !== undefined) throw new UsageError('--repo goes with --diff BASE..HEAD');
  if (!diff && format === 'github-review') throw new UsageError('--format github-review needs --diff BASE..HEAD: a review is of a change');
  return {
    command: 'scan',
    paths: positionals.length ? positionals : ['.'],
    ...(diff ? { diff } : {}),
    ...(values.repo !== undefined ? { repo: values.repo } : {}),
    format,
    output: values.output,
    failOn: oneOf(values['fail-on'], SEVERITIES, '--fail-on'),
    minSeverity: oneOf(values['min-severity'], SEVERITIES, '--min-severity'),
    minConfidence: oneOf(values['min-confidence'], CONFIDENCES, '--min-confidence'),
    select: list(values.select),
    ignore: list(values.ignore),
    exclude: list(values.exclude),
    config: values.config,
    ignoreNosec: values['ignore-nosec'] ?? false,
    maxFileSize: positiveInt(values['max-file-size'], '--max-file-size'),
    ...(values['advisory-db'] !== undefined ? { advisoryDb: values['advisory-db'] } : {}),
    jobs: positiveInt(values.jobs, '--jobs'),
    color: values['no-color'] ? false : values.color,
    ...(values.quiet ? { quiet: true } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
  };
}
