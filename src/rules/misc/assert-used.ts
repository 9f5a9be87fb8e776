import { defineRule } from '../rule.js';

/** Test files, where assert is the point: Bandit's `skips` is empty by default, which makes B101 noise. */
const DEFAULT_SKIPS = ['test_*.py', '*_test.py', 'conftest.py', 'tests/*', '*/tests/*'];

/** Python's fnmatch: `*` matches anything (also `/`), `?` one character, `[...]` a set, `[!...]` its complement. */
function fnmatchRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        re += `[${set}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

const compiled = new Map<string, RegExp>();
const skipCache = new Map<string, boolean>();

/** Bandit matches each glob against the whole path; a glob without `/` also matches the file's base name. */
function isSkipped(path: string, skips: unknown): boolean {
  if (!Array.isArray(skips) || skips.length === 0) return false;
  const key = `${JSON.stringify(skips)}\0${path}`;
  const hit = skipCache.get(key);
  if (hit !== undefined) return hit;
  const full = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const base = full.slice(full.lastIndexOf('/') + 1);
  const result = skips.some((s) => {
    if (typeof s !== 'string') return false;
    let re = compiled.get(s);
    if (!re) compiled.set(s, (re = fnmatchRegex(s)));
    return re.test(full) || re.test(path) || (!s.includes('/') && re.test(base));
  });
  skipCache.set(key, result);
  return result;
}

export const assertUsed = defineRule({
  meta: {
    id: 'B101',
    name: 'assert_used',
    severity: 'low',
    confidence: 'high',
    cwe: 703,
    options: { skips: DEFAULT_SKIPS },
    doc: {
      summary: 'Use of assert: the check disappears when Python runs with -O',
      why: 'Python removes every assert statement when it compiles with optimisation (`python -O`, `PYTHONOPTIMIZE`). A permission check, input validation or invariant written as an assert silently stops existing in those deployments, letting an attacker through.',
      bad: 'def delete_user(request, user_id):\n    assert request.user.is_admin, "admins only"\n    User.objects.get(pk=user_id).delete()',
      good: 'def delete_user(request, user_id):\n    if not request.user.is_admin:\n        raise PermissionDenied("admins only")\n    User.objects.get(pk=user_id).delete()',
      fix: 'Replace the assert with an `if not condition: raise SomeError(...)` for any check that must hold in production.',
      references: ['https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement', 'https://cwe.mitre.org/data/definitions/703.html'],
      banditDifferences: 'Test files are skipped by default (`skips`: test_*.py, *_test.py, conftest.py and anything under a tests/ folder) where Bandit skips nothing; a glob without `/` also matches the base name of the file, so `test_*.py` works in any folder. Set `skips: []` for Bandit\'s behaviour.',
    },
  },
  visit: {
    assert_statement(node, ctx) {
      if (isSkipped(ctx.path, ctx.options.skips)) return;
      ctx.report(node, {
        message: 'This assert is removed when Python runs with -O, so the check it makes vanishes in optimised deployments; raise an exception explicitly if the condition must hold.',
      });
    },
  },
});
