import { normalizeName } from '../../dependencies/types.js';
import { defineRule } from '../rule.js';
import { DISTINCT_NEIGHBOURS, POPULAR_PACKAGES } from './popular-packages.js';

const POPULAR = new Set(POPULAR_PACKAGES);
const DISTINCT = new Set(DISTINCT_NEIGHBOURS);

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The popular project `name` imitates, if it is close to it and not popular itself: one edit for names of
 * 5-7 characters, two from 8; names of 4 characters or fewer collide with too many real projects to judge.
 */
export function typosquatTarget(name: string): string | undefined {
  const n = normalizeName(name);
  if (POPULAR.has(n) || DISTINCT.has(n)) return undefined;
  // `python_dateutil` and `Python.Dateutil` normalise to `python-dateutil` (PEP 503) and were let through
  // above; `pythondateutil` and `jinja-2` do not: pip installs a different project for them.
  for (const p of POPULAR) {
    if (p.length <= 4 || n.length <= 4) continue;
    const limit = p.length <= 7 ? 1 : 2;
    if (editDistance(n, p, limit) <= limit) return p;
  }
  return undefined;
}

export const possibleTyposquat = defineRule({
  meta: {
    id: 'PW505',
    name: 'possible-typosquat',
    severity: 'medium',
    confidence: 'medium',
    cwe: 506,
    doc: {
      summary: 'Newly added package whose name is one or two edits from a very popular project',
      why: 'Attackers publish packages named like popular ones (`reqeusts`, `python-dateutils`, `urlib3`) whose install scripts steal credentials. A one-letter slip in a requirements file installs them.',
      bad: 'reqeusts==2.31.0',
      good: 'requests==2.31.0',
      fix: 'Check the name on pypi.org (project page, maintainers, download counts) and correct it if it is a typo.',
      references: ['https://blog.phylum.io/typosquatting/', 'https://cwe.mitre.org/data/definitions/506.html'],
    },
  },
  visit: {},
  dependencies(ctx) {
    for (const dep of ctx.file.dependencies) {
      if (!ctx.isAdded(dep.line) || !ctx.isNewPackage(dep.normalizedName)) continue;
      const target = typosquatTarget(dep.name);
      if (target) ctx.reportLine(dep.line, { message: `'${dep.name}' is a new dependency whose name is very close to the popular '${target}': make sure it is not a typo for it (a typo-squatted package runs its code at install time)` });
    }
  },
});
