/** Reading the imported project modules within the per-review bounds, through a fake change-source port. */
import { readContext, type ContextBlob, type ContextLimits } from '../../src/engine/read-context.js';
import type { ChangeSet } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';

const LIMITS: ContextLimits = { maxFiles: 50, maxBytes: 2 * 1048576, batchSize: 100, maxLookups: 300 };

function change(files: Record<string, string>): ChangeSet {
  return { baseSha: 'b', headSha: 'h', skipped: [], files: Object.entries(files).map(([path, text]) => ({ path, status: 'modified', head: text })) };
}

/** A repository at the head commit; records every batch asked. */
function repo(files: Record<string, string>) {
  const batches: string[][] = [];
  const read = async (paths: string[]) => {
    batches.push(paths);
    return new Map<string, ContextBlob>(paths.filter((p) => p in files).map((p) => [p, { head: files[p], size: Buffer.byteLength(files[p]) }]));
  };
  return { read, batches };
}

const modules = (n: number, size = 10) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`app/m${i}.py`, `#${'x'.repeat(size - 2)}\n`]));
const importingAll = (n: number) => Array.from({ length: n }, (_, i) => `from . import m${i}`).join('\n');

describe('readContext', () => {
  it('reads the imported helper and what it imports (two levels), in one batch per level', async () => {
    const r = repo({ 'app/db.py': 'from .conn import cursor\n', 'app/conn.py': 'cursor = None\n', 'app/unused.py': '' });
    const ctx = await readContext(change({ 'app/views.py': 'from .db import run_query\n' }), { parser: await pythonParser(), read: r.read, limits: LIMITS });
    expect(ctx).toEqual({ files: [{ path: 'app/db.py', head: 'from .conn import cursor\n' }, { path: 'app/conn.py', head: 'cursor = None\n' }] });
    expect(r.batches).toHaveLength(2);
    expect(r.batches[0]).toEqual(['app/db.py', 'app/db/__init__.py', 'app/db/run_query.py', 'app/db/run_query/__init__.py']);
  });

  it('follows one level when asked', async () => {
    const r = repo({ 'app/db.py': 'from .conn import cursor\n', 'app/conn.py': '' });
    const ctx = await readContext(change({ 'app/views.py': 'from .db import q\n' }), { parser: await pythonParser(), read: r.read, limits: LIMITS, levels: 1 });
    expect(ctx?.files.map((f) => f.path)).toEqual(['app/db.py']);
  });

  it('asks nothing without a changed Python file, and nothing for stdlib-only imports', async () => {
    const r = repo({});
    expect(await readContext(change({ 'README.md': 'import x' }), { parser: await pythonParser(), read: r.read, limits: LIMITS })).toBeUndefined();
    expect(await readContext(change({ 'a.py': 'import os, subprocess\n' }), { parser: await pythonParser(), read: r.read, limits: LIMITS })).toEqual({ files: [] });
    expect(r.batches).toEqual([]);
  });

  it.each([
    ['50-file bound', 73, 10, { maxFiles: 50 }, 50, 'data flow read 50 of 73 imported project modules (limit 50 files / 2 MB per review); flows through the others were not followed'],
    ['2 MB bound', 5, 600_000, {}, 3, 'data flow read 3 of 5 imported project modules (limit 50 files / 2 MB per review); flows through the others were not followed'],
    ['bound reached, later batches not asked', 8, 10, { maxFiles: 4, batchSize: 6 }, 4, 'data flow read 4 of at least 5 imported project modules (limit 4 files / 2 MB per review); flows through the others were not followed'],
    ['bound reached exactly, more to look up', 6, 10, { maxFiles: 2, batchSize: 6 }, 2, 'data flow read 2 imported project modules and stopped there (limit 2 files / 2 MB per review); flows through further imports were not followed'],
    ['within bounds', 20, 10, {}, 20, undefined],
  ])('%s', async (_name, n, size, limits, read, note) => {
    const r = repo(modules(n, size));
    const ctx = await readContext(change({ 'app/views.py': importingAll(n) }), { parser: await pythonParser(), read: r.read, limits: { ...LIMITS, ...limits }, levels: 1 });
    expect(ctx?.files).toHaveLength(read);
    expect(ctx?.note).toBe(note);
    expect(ctx!.files.reduce((b, f) => b + Buffer.byteLength(f.head as string), 0)).toBeLessThanOrEqual(2 * 1048576);
  });

  it('says when the lookup cap left paths unasked', async () => {
    const r = repo({});
    const ctx = await readContext(change({ 'app/views.py': importingAll(10) }), { parser: await pythonParser(), read: r.read, limits: { ...LIMITS, maxLookups: 8, batchSize: 4 }, levels: 1 });
    expect(r.batches.map((b) => b.length)).toEqual([4, 4]);
    expect(ctx?.note).toBe('data flow looked up 8 of 22 places where imported modules could be (limit 8 per review); flows into modules it did not find were not followed');
  });

  it('turns a failed read into `unavailable` (an incomplete review) and keeps what was read before', async () => {
    let calls = 0;
    const read = async (paths: string[]) => {
      if (++calls > 2) throw new Error('GitHub answered 502');
      return new Map<string, ContextBlob>(paths.filter((p) => p === 'app/m0.py').map((p) => [p, { head: '', size: 0 }]));
    };
    const ctx = await readContext(change({ 'app/views.py': importingAll(4) }), { parser: await pythonParser(), read, limits: { ...LIMITS, batchSize: 2 }, levels: 1 });
    expect(ctx).toEqual({
      files: [{ path: 'app/m0.py', head: '' }],
      unavailable: 'data flow could not read the imported project modules beyond the first 1 (GitHub answered 502); flows through them were not followed',
    });
    expect(calls).toBe(3); // no further batch after the failure
  });

  it('skips binary and truncated blobs, changed files and ignored paths', async () => {
    const read = async (paths: string[]) =>
      new Map<string, ContextBlob>(
        paths.flatMap((p): [string, ContextBlob][] => (p === 'app/bin.py' ? [[p, { unusable: 'binary' }]] : p === 'app/big.py' ? [[p, { unusable: 'truncated' }]] : p === 'app/ok.py' || p === 'app/skip.py' ? [[p, { head: '', size: 0 }]] : [])),
      );
    const text = 'from . import bin, big, ok, other, skip\n';
    const files = { 'app/views.py': text, 'app/other.py': '' };
    const ctx = await readContext(change(files), { parser: await pythonParser(), read, limits: LIMITS, isIgnored: (p) => p === 'app/skip.py' });
    expect(ctx).toEqual({ files: [{ path: 'app/ok.py', head: '' }] });
  });

  it('a checkpoint that throws stops the reading: before a changed file is parsed for its imports, and while a large one is', async () => {
    const r = repo({});
    const stop = new Error('stopped');
    const big = `from .db import q\n${Array.from({ length: 20_000 }, (_, i) => `value_${i} = compute(${i})`).join('\n')}\n`;
    let asked = 0;
    await readContext(change({ 'app/big.py': big, 'app/views.py': 'from .db import q\n' }), { parser: await pythonParser(), read: r.read, limits: LIMITS, levels: 1, checkpoint: () => void asked++ });
    // asked before each file and every few milliseconds of a parse
    expect(asked).toBeGreaterThan(10);
    r.batches.length = 0;
    asked = 0;
    const stopAtSecond = () => {
      if (++asked === 2) throw stop;
    };
    // the second ask is inside the first file's parse
    await expect(readContext(change({ 'app/big.py': big, 'app/views.py': 'from .db import q\n' }), { parser: await pythonParser(), read: r.read, limits: LIMITS, checkpoint: stopAtSecond })).rejects.toBe(stop);
    expect(asked).toBe(2);
    expect(r.batches).toEqual([]);
  });
});
