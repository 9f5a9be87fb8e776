/** Limits with reasons on dependency files: a size cap that makes the review incomplete, unusable lines listed. */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { AdvisorySource } from '../../src/dependencies/advisories/source.js';
import { AddedLines } from '../../src/diff/patch.js';
import { MAX_DEPENDENCY_FILE_BYTES, scanDependencies } from '../../src/engine/scan-dependencies.js';
import type { ChangedFile } from '../../src/engine/types.js';
import { notReviewed } from '../../src/report/completeness.js';
import { dependencyRules } from '../../src/rules/dependencies/index.js';

/** Counts lookups: an oversized file must not reach the source. */
function source(): AdvisorySource & { asked: number } {
  const s = { name: 'test source', asked: 0, advisoriesFor: async () => (s.asked++, new Map()) };
  return s;
}

const options = (advisories: AdvisorySource, added?: AddedLines) => ({ config: DEFAULT_CONFIG, rules: dependencyRules, advisories, today: '2026-01-01', ...(added ? { added } : {}) });

describe('dependency-file limits', () => {
  it('a file over the cap is not read: reported with its size, and the review is incomplete', async () => {
    const line = 'flask==2.0.3\n';
    const huge = new Uint8Array(Buffer.from(line.repeat(Math.ceil((MAX_DEPENDENCY_FILE_BYTES + 1) / line.length))));
    const advisories = source();
    const scan = await scanDependencies([{ path: 'requirements.txt', status: 'added', head: huge }], options(advisories));
    expect(scan.errors).toEqual([{ path: 'requirements.txt', kind: 'skipped', message: expect.stringMatching(/^not analysed: 10\.0 MiB is over the 10 MiB limit for a dependency file/) }]);
    expect(advisories.asked).toBe(0);
    const missing = notReviewed({ findings: [], suppressed: [], errors: scan.errors, stats: { filesAnalysed: 0, filesSkipped: 1, lines: 0, durationMs: 0 } });
    expect(missing).toHaveLength(1);
  });

  it('a file at the cap is read', async () => {
    const head = `flask==2.0.3\n${'#'.repeat(MAX_DEPENDENCY_FILE_BYTES - 14)}\n`;
    expect(Buffer.byteLength(head)).toBe(MAX_DEPENDENCY_FILE_BYTES);
    const scan = await scanDependencies([{ path: 'requirements.txt', status: 'added', head }], options(source()));
    expect(scan.errors).toEqual([]);
    expect(scan.status.packages).toBe(1);
  });

  it('lines the extractor cannot use, and includes, are listed when the change added them', async () => {
    const head = '[metadata]\nname = demo\n\n[options]\ninstall_requires =\n    file: requirements.in\n    flask==2.0.3\n';
    const file: ChangedFile = { path: 'setup.cfg', status: 'modified', head, base: '[metadata]\nname = demo\n', patch: '@@ -1,2 +1,7 @@\n [metadata]\n name = demo\n+\n+[options]\n+install_requires =\n+    file: requirements.in\n+    flask==2.0.3' };
    const scan = await scanDependencies([file], options(source(), AddedLines.fromPatches([file])));
    expect(scan.notes).toContainEqual(expect.stringMatching(/^setup\.cfg line 6 not checked: file: directive .* is not followed/));

    const req: ChangedFile = { path: 'requirements.txt', status: 'modified', head: 'flask==2.0.3\n-r deps/pins.txt\n', base: 'flask==2.0.3\n', patch: '@@ -1 +1,2 @@\n flask==2.0.3\n+-r deps/pins.txt' };
    const withInclude = await scanDependencies([req], options(source(), AddedLines.fromPatches([req])));
    expect(withInclude.notes).toEqual([expect.stringMatching(/^requirements\.txt line 2 not checked: included files are not read by this review .*\(`-r deps\/pins\.txt`\)\.$/)]);
  });

  it('unusable lines the change did not add are not listed', async () => {
    const head = '[options]\ninstall_requires =\n    file: requirements.in\n    flask==2.0.3\n';
    const file: ChangedFile = { path: 'setup.cfg', status: 'modified', head, base: '[options]\ninstall_requires =\n    file: requirements.in\n', patch: '@@ -3 +3,2 @@\n     file: requirements.in\n+    flask==2.0.3' };
    const scan = await scanDependencies([file], options(source(), AddedLines.fromPatches([file])));
    expect(scan.notes).toEqual([]);
  });
});
