import { defineRule } from '../rule.js';

export const incompleteHashes = defineRule({
  meta: {
    id: 'PW502',
    name: 'incomplete-hashes',
    severity: 'medium',
    confidence: 'high',
    cwe: 494,
    doc: {
      summary: 'Requirements file where some pins carry --hash and others do not',
      why: 'Once one requirement has `--hash`, pip switches to hash-checking mode and refuses the others, so teams "fix" the install by dropping hashes; and an entry added without a hash is the one whose download is not verified.',
      bad: 'django==4.2.11 --hash=sha256:6e6f...\nrequests==2.31.0',
      good: 'django==4.2.11 --hash=sha256:6e6f...\nrequests==2.31.0 --hash=sha256:58cd...',
      fix: 'Regenerate the file with hashes for every entry (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`).',
      references: ['https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode', 'https://cwe.mitre.org/data/definitions/494.html'],
    },
  },
  visit: {},
  dependencies(ctx) {
    if (ctx.file.format !== 'requirements') return;
    const deps = ctx.file.dependencies.filter((d) => d.source !== 'editable' && d.source !== 'path');
    const hashed = deps.filter((d) => d.hashes?.length);
    if (hashed.length === 0 || hashed.length === deps.length) return;
    for (const dep of deps) {
      if (dep.hashes?.length || !ctx.isAdded(dep.line)) continue;
      ctx.reportLine(dep.line, { message: `${dep.name} has no --hash while ${hashed.length} other ${hashed.length === 1 ? 'entry has' : 'entries have'} one: pip's hash-checking mode will reject it, and its download is not verified` });
    }
  },
});
