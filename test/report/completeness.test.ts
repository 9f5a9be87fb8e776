import { incompleteConclusion, notReviewed } from '../../src/report/completeness.js';
import type { ChangeReview } from '../../src/engine/types.js';

const review = (over: Partial<ChangeReview>): ChangeReview => ({
  findings: [],
  suppressed: [],
  errors: [],
  preExisting: [],
  skipped: [],
  baseSha: 'b',
  headSha: 'h',
  stats: { filesAnalysed: 1, filesSkipped: 0, lines: 1, durationMs: 1 },
  ...over,
});

describe('notReviewed', () => {
  it.each([
    ['not Python', 0],
    ['ignored by paths.ignore', 0],
    ['symbolic link', 0],
    ['submodule', 0],
    ['no blob (submodule or symlink)', 0],
    ['binary file', 1],
    ['content not available', 1],
    ['dependency file: not checked', 1],
  ])('a file skipped as %j counts %i times', (reason, n) => {
    expect(notReviewed(review({ skipped: [{ path: 'x', reason }] }))).toHaveLength(n);
  });

  it('lists skipped and internal errors but not syntax errors (the rest of such a file is analysed)', () => {
    const out = notReviewed(
      review({
        errors: [
          { path: 'a.py', kind: 'syntax', message: 'invalid syntax', line: 3 },
          { path: 'b.py', kind: 'skipped', message: 'not analysed: 3.0 MiB is over the 2.0 MiB limit' },
          { path: 'c.py', kind: 'internal', message: 'rule B101 failed: boom' },
        ],
      }),
    );
    expect(out).toEqual([
      { path: 'b.py', reason: '3.0 MiB is over the 2.0 MiB limit' },
      { path: 'c.py', reason: 'rule B101 failed: boom' },
    ]);
  });

  it('a truncated listing and an unavailable advisory source are not reviewed either', () => {
    const out = notReviewed(
      review({
        truncated: 'GitHub lists at most 3000 files',
        dependencies: { status: { state: 'unavailable', source: 'OSV API', message: '503', packages: 2 }, advisories: [], notes: [] },
      }),
    );
    expect(out.map((o) => o.reason)).toEqual(['GitHub lists at most 3000 files', 'dependency check unavailable: OSV API could not be queried (503)']);
  });

  it('a complete review has nothing to list', () => {
    expect(notReviewed(review({ dependencies: { status: { state: 'checked', packages: 3 }, advisories: [], notes: [] } }))).toEqual([]);
  });
});

describe('incompleteConclusion', () => {
  it.each([
    [undefined, 'failure'],
    [{ incomplete: 'failure' as const }, 'failure'],
    [{ incomplete: 'neutral' as const }, 'neutral'],
  ])('%j -> %s', (config, conclusion) => {
    expect(incompleteConclusion(config)).toBe(conclusion);
  });
});
