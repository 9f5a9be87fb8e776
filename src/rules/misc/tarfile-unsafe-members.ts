import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Confidence, Severity } from '../../engine/types.js';
import { argument } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isLocalClassInstance, rootModule } from './common.js';

/** What `tarfile.open(...)` and friends return, as the resolver names it. */
const TARFILES = new Set(['tarfile.open()', 'tarfile.TarFile()', 'tarfile.TarFile.open()', 'tarfile.TarFile.taropen()', 'tarfile.TarFile.gzopen()', 'tarfile.TarFile.bz2open()', 'tarfile.TarFile.xzopen()']);
const DATA_FILTERS = new Set(['tarfile.data_filter', 'tarfile.TarFile.data_filter']);

/** Archive libraries other than tarfile; zipfile sanitises member names itself. */
const NOT_TARFILE = new Set(['zipfile', 'shutil', 'py7zr', 'rarfile', 'patoolib', 'libarchive']);

/** true: a tarfile; false: known to be something else (zipfile, a class defined here); undefined: unknown. */
function isTarFile(ctx: RuleContext, object: Node): boolean | undefined {
  const q = ctx.qname(object);
  if (q !== undefined && TARFILES.has(q)) return true;
  if ((q !== undefined && NOT_TARFILE.has(rootModule(q))) || isLocalClassInstance(ctx, object)) return false;
  return undefined;
}

function hasDataFilter(ctx: RuleContext, value: Node | undefined): boolean {
  if (!value) return false;
  return ctx.constant(value) === 'data' || DATA_FILTERS.has(ctx.qname(value) ?? '');
}

export const tarfileUnsafeMembers = defineRule({
  meta: {
    id: 'B202',
    name: 'tarfile_unsafe_members',
    severity: 'high',
    confidence: 'high',
    cwe: 22,
    doc: {
      summary: 'tarfile.extractall() without filter="data" or validated members: path traversal ("tar slip")',
      why: 'Tar members can have absolute names, `..` components, symlinks and device files. extractall() writes them where they point, so a crafted archive overwrites any file the process can write (code, SSH keys, cron jobs) outside the target directory.',
      bad: 'with tarfile.open(upload) as tar:\n    tar.extractall(dest)',
      good: 'with tarfile.open(upload) as tar:\n    tar.extractall(dest, filter="data")  # Python 3.12+, and 3.8.17+/3.9.17+/3.10.12+/3.11.4+',
      fix: 'Pass filter="data" to extractall(), or pass members= a list you have checked for absolute paths, `..`, links and special files.',
      references: ['https://docs.python.org/3/library/tarfile.html#extraction-filters', 'https://peps.python.org/pep-0706/', 'https://cwe.mitre.org/data/definitions/22.html'],
      banditDifferences: 'Resolves the receiver: `extractall` on an object known to be something else (a `zipfile.ZipFile`, which sanitises names, or an instance of a class defined in the file) is not flagged even when the file imports tarfile, while a `tarfile.open()` result is flagged also with `from tarfile import open as ...` and `with ... as tar`. Accepts `filter=tarfile.data_filter` and a filter bound to a name. `members=tar.getmembers()` extracts everything, so it is treated like no members (HIGH), and `members` passed positionally is understood.',
    },
  },
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.name.includes('extractall') || call.func.type !== 'attribute') return;
      const tar = isTarFile(ctx, call.func.childForFieldName('object')!);
      if (tar === false || (tar === undefined && !ctx.imports('tarfile'))) return;
      if (hasDataFilter(ctx, call.keywords.get('filter')?.node)) return;
      const members = argument(call, 'members', 1);
      let severity: Severity = 'high';
      let confidence: Confidence = 'high';
      let message = 'tarfile.extractall() extracts every member as named, so a crafted archive with absolute paths, `..` or links writes files outside the target directory; pass filter="data" (Python 3.12+) or a validated members list.';
      const value = members?.node;
      if (value && ctx.constant(value) !== null) {
        const calls = value.type === 'call' ? ctx.call(value) : undefined;
        if (calls?.name === 'getmembers' && calls.positional.length === 0) {
          message = 'tarfile.extractall(members=tar.getmembers()) extracts every member as named, so a crafted archive writes files outside the target directory; pass filter="data" (Python 3.12+) or filter the members.';
        } else if (calls) {
          severity = confidence = 'low';
          message = `tarfile.extractall() extracts the members chosen by ${calls.func.text}(); make sure it discards absolute paths, \`..\`, links and device files, or pass filter="data" (Python 3.12+).`;
        } else {
          severity = confidence = 'medium';
          message = 'tarfile.extractall() extracts members that could not be checked here; make sure they were validated against absolute paths, `..`, links and device files, or pass filter="data" (Python 3.12+).';
        }
      }
      ctx.report(node, { severity, confidence, message, fix: { description: 'Pass filter="data" to extractall() (Python 3.12+ and security backports)' } });
    },
  },
});
