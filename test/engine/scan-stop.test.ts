/**
 * A review that timed out or was superseded stops its (synchronous) scan at the next file, and inside a file
 * while tree-sitter parses it, between the phases of its analysis and every CHECKPOINT_NODES nodes of its rule
 * walk, not after the last.
 */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { CHECKPOINT_NODES, prepareRules } from '../../src/engine/analyze-file.js';
import { scanChange, ScanStopped } from '../../src/engine/scan-change.js';
import type { ChangeSet } from '../../src/engine/types.js';
import { parseSyntaxTree, pythonParser } from '../../src/python/parser.js';
import { ALL_RULES } from '../../src/rules/registry.js';

const change: ChangeSet = {
  baseSha: 'b'.repeat(40),
  headSha: 'a'.repeat(40),
  files: [1, 2, 3, 4].map((n) => ({ path: `app/m${n}.py`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+eval(x)', head: 'eval(x)\n' })),
  skipped: [],
};

/** Asks of a file too small for a checkpoint in its parse or its walk: before it, after parsing, after the scope model, before its data flow. */
const ASKS_PER_SMALL_FILE = 4;

it('asks before each file, and stops with ScanStopped once told to', async () => {
  const parser = await pythonParser();
  const active = prepareRules(ALL_RULES);
  let asked = 0;
  const run = () => {
    asked = 0;
    return scanChange(change, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => ++asked > 2 * ASKS_PER_SMALL_FILE });
  };
  expect(run).toThrow(ScanStopped);
  expect(run).toThrow('the scan was stopped after 2 files');
  expect(asked).toBe(2 * ASKS_PER_SMALL_FILE + 1);
  // never told to stop: every file is analysed
  const whole = scanChange(change, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => false });
  expect(whole.findings.filter((f) => f.ruleId === 'B307')).toHaveLength(4);
});

it('one file is stopped in the middle of its rule walk, which asks every CHECKPOINT_NODES nodes', async () => {
  const parser = await pythonParser();
  const active = prepareRules(ALL_RULES);
  const lines = 5_000;
  const big: ChangeSet = {
    ...change,
    files: [{ path: 'app/generated.py', status: 'added', patch: '@@ -0,0 +1 @@\n+x', head: Array.from({ length: lines }, (_, i) => `eval(x${i})\n`).join('') }],
  };
  let asked = 0;
  scanChange(big, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => (asked++, false) });
  // the walk lists the nodes some rule or the scope model reads: here at least the call on every line
  expect(asked).toBeGreaterThan(lines / CHECKPOINT_NODES);
  const walkAsks = asked;
  asked = 0;
  const stopAt = Math.floor(walkAsks / 2);
  expect(() => scanChange(big, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => ++asked >= stopAt })).toThrow(
    new ScanStopped('the scan was stopped in the middle of app/generated.py, after 0 files'),
  );
  expect(asked).toBe(stopAt);
});

it('a parse is stopped from inside tree-sitter, and the shared parser then parses the next file afresh', async () => {
  const parser = await pythonParser();
  const big = Array.from({ length: 20_000 }, (_, i) => `value_${i} = compute(${i}, "text")\n`).join('');
  const small = 'import os\nos.system(cmd)\n';
  const fresh = parseSyntaxTree(parser, small);
  let asked = 0;
  parseSyntaxTree(parser, big, 1000, undefined, () => void asked++);
  const asksOfAWholeParse = asked;
  expect(asksOfAWholeParse).toBeGreaterThan(20); // every few milliseconds of tree-sitter's work
  asked = 0;
  const stop = new ScanStopped('stop');
  expect(() =>
    parseSyntaxTree(parser, big, 1000, undefined, () => {
      if (++asked === 3) throw stop;
    }),
  ).toThrow(stop);
  expect(asked).toBe(3);
  // a cancelled tree-sitter parse resumes in the next call unless the parser is reset: it was
  const after = parseSyntaxTree(parser, small);
  expect([after.nodeCount, after.source, after.lineCount]).toEqual([fresh.nodeCount, fresh.source, fresh.lineCount]);
  expect(after.root.text).toBe(small);
});

it('a review stopped while a large file is being parsed stops there', async () => {
  const parser = await pythonParser();
  const active = prepareRules(ALL_RULES);
  const big: ChangeSet = { ...change, files: [{ path: 'app/generated.py', status: 'added', patch: '@@ -0,0 +1 @@\n+x', head: Array.from({ length: 20_000 }, (_, i) => `value_${i} = compute(${i})\n`).join('') }] };
  let asked = 0;
  // the first ask is before the file, the next ones come from inside the parse
  expect(() => scanChange(big, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => ++asked >= 3 })).toThrow(new ScanStopped('the scan was stopped in the middle of app/generated.py, after 0 files'));
  // and the parser is fine for the next review
  const whole = scanChange(change, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => false });
  expect(whole.findings.filter((f) => f.ruleId === 'B307')).toHaveLength(4);
});
