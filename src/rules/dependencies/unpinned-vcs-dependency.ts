import { defineRule } from '../rule.js';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
const LOCKFILES = new Set(['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock']);

/** The revision in a VCS URL: `git+https://host/repo.git@<rev>#egg=x` -> `<rev>`. */
export function vcsRevision(url: string): string | undefined {
  const withoutFragment = url.split('#')[0];
  // Drop the scheme and host (`git+ssh://git@host`) or an scp-like `git@host:` prefix: their `@` is a user, not a revision.
  const path = withoutFragment.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^[\w.-]+@[^:/]+:/, '');
  const at = path.lastIndexOf('@');
  return at === -1 ? undefined : path.slice(at + 1) || undefined;
}

export const unpinnedVcsDependency = defineRule({
  meta: {
    id: 'PW504',
    name: 'unpinned-vcs-dependency',
    severity: 'medium',
    confidence: 'high',
    cwe: 1357,
    doc: {
      summary: 'Git or URL requirement not pinned to a commit or a hash',
      why: 'A branch or tag is a moving pointer: whoever can push to that repository (or take over the account) changes what you install, and no hash can be checked. A plain URL download can likewise change under you.',
      bad: 'mylib @ git+https://github.com/acme/mylib.git@main\nwheel @ https://example.com/pkg-1.0.tar.gz',
      good: 'mylib @ git+https://github.com/acme/mylib.git@3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e\nwheel @ https://example.com/pkg-1.0.tar.gz#sha256=<digest>',
      fix: 'Pin the full 40-character commit id (`@<sha>`), or add `#sha256=<digest>` / `--hash` to a URL.',
      references: ['https://pip.pypa.io/en/stable/topics/vcs-support/', 'https://cwe.mitre.org/data/definitions/1357.html'],
    },
  },
  visit: {},
  dependencies(ctx) {
    // A lockfile records the commit a branch resolved to (poetry's resolved_reference, uv's `#<sha>`, pdm's
    // revision, Pipfile.lock's ref) and the file's hashes: the finding belongs on the manifest that asked for a branch.
    if (LOCKFILES.has(ctx.file.format)) return;
    for (const dep of ctx.file.dependencies) {
      if (!dep.url || !ctx.isAdded(dep.line)) continue;
      if (dep.source === 'vcs') {
        const rev = dep.revision ?? vcsRevision(dep.url);
        if (rev && COMMIT.test(rev)) continue;
        ctx.reportLine(dep.line, {
          message: rev
            ? `${dep.name} is installed from ${dep.url.split('#')[0]} at '${rev}', a branch or tag that can move: pin the full commit id`
            : `${dep.name} is installed from ${dep.url.split('#')[0]} with no revision: it takes whatever the default branch holds at install time; pin the full commit id`,
        });
      } else if (dep.source === 'url') {
        if (/#(sha256|sha384|sha512)=/i.test(dep.url) || dep.hashes?.length) continue;
        ctx.reportLine(dep.line, { message: `${dep.name} is downloaded from ${dep.url} without a hash: the file can change under you; add #sha256=<digest> or --hash` });
      }
    }
  },
});
