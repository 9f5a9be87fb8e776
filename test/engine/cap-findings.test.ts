import { capPerFile, mergeCuts } from '../../src/engine/cap-findings.js';
import type { Finding } from '../../src/engine/types.js';
import { cutSummary } from '../../src/report/summary.js';

const f = (path: string, line: number, ruleId: string, severity: Finding['severity']): Finding => ({
  ruleId,
  ruleName: ruleId,
  message: '',
  severity,
  confidence: 'high',
  location: { path, startLine: line, startColumn: 1, endLine: line, endColumn: 2 },
  snippet: '',
  fingerprint: `${path}:${line}`,
});

describe('capPerFile', () => {
  it('keeps the most severe per file, in their order; counts the rest by rule', () => {
    const findings = [f('a.py', 1, 'B101', 'low'), f('a.py', 2, 'B602', 'high'), f('b.py', 1, 'B101', 'low'), f('a.py', 3, 'B101', 'low'), f('a.py', 4, 'B307', 'medium')];
    const { kept, cut } = capPerFile(findings, 2);
    expect(kept.map((x) => x.fingerprint)).toEqual(['a.py:2', 'b.py:1', 'a.py:4']);
    expect(cut).toEqual([{ path: 'a.py', omitted: 2, byRule: { B101: 2 } }]);
  });

  it('under the cap nothing changes', () => {
    const findings = [f('a.py', 1, 'B101', 'low')];
    expect(capPerFile(findings, 1)).toEqual({ kept: findings, cut: [] });
  });

  it('merged cuts add up per path; the summary line names counts and rules', () => {
    const cut = mergeCuts([{ path: 'a.py', omitted: 1500, byRule: { B101: 1500 } }], [{ path: 'a.py', omitted: 2, byRule: { B602: 2 } }]);
    expect(cut).toEqual([{ path: 'a.py', omitted: 1502, byRule: { B101: 1500, B602: 2 } }]);
    expect(cutSummary(cut)).toBe('1,502 more findings not listed (at most 1,000 per file, the most severe kept): a.py: 1,500 B101, 2 B602');
  });
});
