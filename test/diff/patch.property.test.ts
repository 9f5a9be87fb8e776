/** Property tests for the unified-diff parser: any text is handled, and a generated hunk gives exactly its added lines. */
import fc from 'fast-check';
import { AddedLines, addedRanges } from '../../src/diff/patch.js';
import { propertyOptions } from '../helpers/property.js';

type Op = ' ' | '+' | '-';

describe('addedRanges (property)', () => {
  // Garbage may repeat or reorder hunks, so only the shape of each range is promised there.
  it('never throws on any text and returns non-empty ranges of positive lines', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.oneof(fc.constantFrom('@@ -1 +1 @@', '@@ -3,2 +7,4 @@ def f():', '+x', '-y', ' z', '\\ No newline at end of file', '', '+\r'), fc.string({ maxLength: 20 })), { maxLength: 60 }).map((l) => l.join('\n'))), (patch) => {
        const ranges = addedRanges(patch);
        for (const r of ranges) {
          expect(r.start).toBeLessThanOrEqual(r.end);
          expect(r.start).toBeGreaterThanOrEqual(0);
        }
      }),
      propertyOptions(),
    );
  });

  it('a generated multi-hunk patch gives exactly the lines it adds', () => {
    const hunk = fc.record({ gap: fc.integer({ min: 0, max: 30 }), ops: fc.array(fc.constantFrom<Op>(' ', '+', '-'), { minLength: 1, maxLength: 40 }), text: fc.string({ maxLength: 12 }).map((t) => t.replace(/[\r\n]/g, '')) });
    fc.assert(
      fc.property(fc.array(hunk, { minLength: 1, maxLength: 6 }), fc.boolean(), (hunks, crlf) => {
        const expected: number[] = [];
        const out: string[] = [];
        let oldLine = 1;
        let newLine = 1;
        for (const h of hunks) {
          oldLine += h.gap;
          newLine += h.gap;
          const oldCount = h.ops.filter((o) => o !== '+').length;
          const newCount = h.ops.filter((o) => o !== '-').length;
          out.push(`@@ -${oldLine},${oldCount} +${newLine},${newCount} @@ ${h.text}`);
          for (const op of h.ops) {
            // A body line may itself look like a hunk header or a marker once its prefix is removed.
            out.push(`${op}${h.text}`);
            if (op === '+') expected.push(newLine);
            if (op !== '-') newLine++;
            if (op !== '+') oldLine++;
          }
        }
        const patch = out.join(crlf ? '\r\n' : '\n');
        const got = addedRanges(patch).flatMap((r) => Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i));
        expect(got).toEqual(expected);
        const added = AddedLines.fromPatches([{ path: 'a.py', patch }]);
        for (const line of expected) expect(added.has('a.py', line)).toBe(true);
      }),
      propertyOptions(),
    );
  });
});
