/** A review that timed out or was superseded stops its (synchronous) scan at the next file, not after the last. */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { prepareRules } from '../../src/engine/analyze-file.js';
import { scanChange, ScanStopped } from '../../src/engine/scan-change.js';
import type { ChangeSet } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';
import { ALL_RULES } from '../../src/rules/registry.js';

const change: ChangeSet = {
  baseSha: 'b'.repeat(40),
  headSha: 'a'.repeat(40),
  files: [1, 2, 3, 4].map((n) => ({ path: `app/m${n}.py`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+eval(x)', head: 'eval(x)\n' })),
  skipped: [],
};

it('asks before each file, and stops with ScanStopped once told to', async () => {
  const parser = await pythonParser();
  const active = prepareRules(ALL_RULES);
  let asked = 0;
  const run = () => {
    asked = 0;
    return scanChange(change, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => ++asked > 2 });
  };
  expect(run).toThrow(ScanStopped);
  expect(run).toThrow('the scan was stopped after 2 files');
  expect(asked).toBe(3);
  // never told to stop: every file is analysed
  const whole = scanChange(change, { parser, config: DEFAULT_CONFIG, active, now: () => 0, shouldStop: () => false });
  expect(whole.findings.filter((f) => f.ruleId === 'B307')).toHaveLength(4);
});
