import { normalizeName } from '../../dependencies/types.js';
import { defineRule } from '../rule.js';
import { DISTINCT_NEIGHBOURS, POPULAR_PACKAGES } from './popular-packages.js';

const POPULAR = new Set(POPULAR_PACKAGES);
const DISTINCT = new Set(DISTINCT_NEIGHBOURS);

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring), capped:
 * any distance above `cap` is returned as `cap + 1`. Three rolling rows, stopped as soon as a row's minimum
 * exceeds the cap (every pair of a new name with each popular name is compared).
 */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2 = new Int32Array(b.length + 1);
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return Math.min(prev[b.length], cap + 1);
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
