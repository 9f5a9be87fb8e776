import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';
import { isLocalFunction } from './common.js';

const S_IWOTH = 0o2;
/** Group/other write or execute: S_IWOTH | S_IWGRP | S_IXGRP | S_IXOTH. */
const DANGEROUS = 0o2 | 0o20 | 0o10 | 0o1;

/** Bits an expression surely sets: `x | 0o777` sets 0o777 whatever x is; anything else sets none for sure. */
function knownSetBits(node: Node, constant: (n: Node) => unknown): number {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return knownSetBits(node.namedChildren[0], constant);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|') {
    return knownSetBits(node.childForFieldName('left')!, constant) | knownSetBits(node.childForFieldName('right')!, constant);
  }
  const v = constant(node);
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

export const badFilePermissions = defineRule({
  meta: {
    id: 'B103',
    name: 'set_bad_file_permissions',
    severity: 'medium',
    confidence: 'high',
    cwe: 732,
    doc: {
      summary: 'chmod with a mode that lets the group or other users write or execute the file',
      why: 'A world-writable file can be replaced or edited by any local user: a config, script or key written with such a mode lets them inject code or read secrets. Group/other execute bits on files that should not be programs widen what a compromised account can run.',
      bad: 'os.chmod("/etc/myapp/config.yaml", 0o777)\nos.chmod(key_path, stat.S_IRWXU | stat.S_IRWXO)',
      good: 'os.chmod("/etc/myapp/config.yaml", 0o600)\nos.chmod(key_path, stat.S_IRUSR | stat.S_IWUSR)',
      fix: 'Give the file the least permission it needs: 0o600 for private data, 0o644 when others only read it.',
      references: ['https://docs.python.org/3/library/os.html#os.chmod', 'https://cwe.mitre.org/data/definitions/732.html'],
      banditDifferences: 'Evaluates the mode instead of needing a bare integer literal: `stat.S_IWOTH | ...` flags (also imported with `from stat import ...`), arithmetic and names bound to constants, and the known part of a partly unknown mode (`mode | 0o777`). Handles `pathlib.Path.chmod(mode)` (mode first), `mode=` keywords `**{"mode": ...}` and extra arguments such as `follow_symlinks=`, and skips a function of the same name defined in the file, where Bandit only looks at chmod calls with exactly two positional arguments.',
    },
  },
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const resolved = call.qname?.slice(call.qname.lastIndexOf('.') + 1) ?? '';
      if (!call.name.toLowerCase().includes('chmod') && !resolved.toLowerCase().includes('chmod')) return;
      if (isLocalFunction(ctx, call.func)) return; // a `def chmod(...)` of this file is not os.chmod
      // os.chmod(path, mode), os.fchmod(fd, mode), sftp.chmod(path, mode); Path(...).chmod(mode)
      let mode = argument(call, 'mode', 1);
      if (!mode && call.positional.length === 1 && call.func.type === 'attribute' && !call.qname?.startsWith('os.')) mode = call.positional[0];
      if (!mode) return;
      const constant = ctx.constant(mode);
      // A mode only partly known (`mode | 0o777`) still sets the bits of its known part
      const value = typeof constant === 'number' ? constant : knownSetBits(mode.node, (n) => ctx.constant({ node: n, scope: mode!.scope }));
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || (value & DANGEROUS) === 0) return;
      const worldWritable = (value & S_IWOTH) !== 0;
      const target = call.positional.length > 1 || mode !== call.positional[0] ? call.positional[0]?.node.text : undefined;
      const on = target ? ` on ${target.length > 60 ? `${target.slice(0, 57)}...` : target}` : '';
      ctx.report(node, {
        severity: worldWritable ? 'high' : 'medium',
        message: worldWritable
          ? `chmod sets mode ${'0o' + value.toString(8)}${on}, which lets any local user modify the file; use 0o600 (or 0o644 if others must read it).`
          : `chmod sets mode ${'0o' + value.toString(8)}${on}, which lets group or other users write or execute the file; use 0o600, or 0o700 for a private program or directory.`,
      });
    },
  },
});
