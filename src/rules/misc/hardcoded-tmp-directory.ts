import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isBareStatement, isOnlyCompared, isWholeLiteral } from './common.js';

const DEFAULT_TMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];

/** tempfile functions create an unpredictable name with O_EXCL and mode 0600: a fixed `dir=` is fine there. */
const TEMPFILE_WITH_DIR = new Set(['mkstemp', 'mkdtemp', 'NamedTemporaryFile', 'TemporaryFile', 'SpooledTemporaryFile', 'TemporaryDirectory'].map((f) => `tempfile.${f}`));

function isTempfileDir(node: Node, ctx: RuleContext): boolean {
  const kw = node.parent?.type === 'keyword_argument' ? node.parent : undefined;
  const call = kw?.parent?.parent;
  if (!kw || kw.childForFieldName('name')?.text !== 'dir' || call?.type !== 'call') return false;
  const q = ctx.call(call).qname;
  return q !== undefined && TEMPFILE_WITH_DIR.has(q);
}

/** The configured list without its unusable entries, once per option value (not once per string). */
const validDirs = new WeakMap<unknown[], string[]>();

/** `/tmp`, `/tmp/x`, but not `/tmpfiles`: the configured directory itself or something inside it. */
function tmpPrefix(value: string, dirs: unknown): string | undefined {
  let list = DEFAULT_TMP_DIRS;
  if (Array.isArray(dirs)) {
    list = validDirs.get(dirs) ?? dirs.filter((d): d is string => typeof d === 'string' && d !== '');
    validDirs.set(dirs, list);
  }
  for (const d of list) if (value.startsWith(d) && (d.endsWith('/') || value.length === d.length || value[d.length] === '/')) return d;
  return undefined;
}

function check(node: Node, ctx: RuleContext): void {
  // The value first: it is computed once per literal for every rule, the position checks are not.
  const s = ctx.string(node);
  if (!s || s.isBytes) return;
  const dir = tmpPrefix(s.value, ctx.options.tmp_dirs);
  if (!dir || !isWholeLiteral(node) || isBareStatement(node) || isOnlyCompared(node) || isTempfileDir(node, ctx)) return;
  ctx.report(node, {
    message: `Hard-coded path under ${dir}, a directory every local user can write to: another user can pre-create or symlink this name to read or overwrite your data; use tempfile.mkstemp() or tempfile.TemporaryDirectory() instead.`,
  });
}

export const hardcodedTmpDirectory = defineRule({
  meta: {
    id: 'B108',
    name: 'hardcoded_tmp_directory',
    severity: 'medium',
    confidence: 'medium',
    cwe: 377,
    options: { tmp_dirs: DEFAULT_TMP_DIRS },
    doc: {
      summary: 'Hard-coded path in a shared temporary directory (/tmp, /var/tmp, /dev/shm)',
      why: 'Shared temporary directories are writable by every local user. A fixed, predictable file name there can be created in advance or replaced by a symlink by another user, so the program reads attacker-controlled data or overwrites a file of the attacker\'s choosing with its own privileges.',
      bad: 'with open("/tmp/report.csv", "w") as f:\n    f.write(data)',
      good: 'import tempfile\nwith tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:\n    f.write(data)',
      fix: 'Create temporary files and directories with the tempfile module (mkstemp, NamedTemporaryFile, TemporaryDirectory), which picks unpredictable names and private permissions.',
      references: ['https://docs.python.org/3/library/tempfile.html', 'https://cwe.mitre.org/data/definitions/377.html'],
      banditDifferences: 'Matches the configured directory as a path prefix (`/tmp` and `/tmp/...`, not `/tmpfiles`). Does not flag a fixed `dir=` passed to tempfile functions (they still create a private, unpredictable name), comparisons and `startswith` checks, or docstrings.',
    },
  },
  visit: { string: check, concatenated_string: check },
});
