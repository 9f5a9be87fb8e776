/** SARIF cut to what GitHub code scanning accepts, saying what was cut. */
import type { Finding, Review } from '../../src/engine/types.js';
import { renderSarif } from '../../src/report/sarif.js';
import { fitSarif } from '../../src/report/sarif-limits.js';
import { ALL_RULES } from '../../src/rules/registry.js';

function finding(i: number, severity: Finding['severity'], withFlow = false): Finding {
  const location = { path: `m${i % 3}.py`, startLine: i + 1, startColumn: 1, endLine: i + 1, endColumn: 9 };
  return {
    ruleId: severity === 'low' ? 'B101' : 'B602',
    ruleName: severity === 'low' ? 'assert_used' : 'subprocess_popen_with_shell_equals_true',
    message: `finding ${i}`,
    severity,
    confidence: 'high',
    location,
    snippet: 'x',
    fingerprint: `fp${i}`,
    ...(withFlow ? { flow: Array.from({ length: 20 }, (_, s) => ({ location, label: `step ${s} ${'x'.repeat(40)}` })) } : {}),
  };
}

const review = (findings: Finding[]): Review => ({ findings, suppressed: [], errors: [], stats: { filesAnalysed: 3, filesSkipped: 0, lines: 100, durationMs: 1 } });
const log = (findings: Finding[]) => renderSarif(review(findings), ALL_RULES, { toolVersion: '0.0.0' });

describe('fitSarif', () => {
  it('within the limits: the log as it is, nothing said', () => {
    const out = fitSarif(log([finding(0, 'high')]), { maxResults: 10, maxBytes: 10 * 1048576 });
    expect(out.cut).toBeUndefined();
    expect(JSON.parse(out.text).runs[0].properties).toBeUndefined();
  });

  it('over the result cap: the least severe go, order kept, and the run says so', () => {
    const findings = Array.from({ length: 10 }, (_, i) => finding(i, i % 4 === 0 ? 'high' : 'low'));
    const out = fitSarif(log(findings), { maxResults: 5, maxBytes: 10 * 1048576 });
    const run = JSON.parse(out.text).runs[0];
    expect(run.results.map((r: any) => r.message.text)).toEqual(['finding 0', 'finding 1', 'finding 2', 'finding 4', 'finding 8']);
    expect(run.properties['pyward/cut']).toMatchObject({ resultsOmitted: 5, resultsTotal: 10, codeFlowsDropped: false });
    expect(run.invocations[0].toolExecutionNotifications).toContainEqual(expect.objectContaining({ descriptor: { id: 'pyward/sarif-limit' }, level: 'warning' }));
    expect(out.cut).toMatch(/^SARIF cut to fit: 5 of 10 results left out \(the least severe, # nosec ones first\) \(GitHub code scanning accepts at most 5 results per run/);
  });

  it('over the byte cap: data-flow paths go before any result; then results, until it fits', () => {
    const findings = Array.from({ length: 40 }, (_, i) => finding(i, 'high', true));
    const full = fitSarif(log(findings), { maxResults: 100, maxBytes: 100 * 1048576 }).text;
    const noFlows = fitSarif(log(findings.map(({ flow: _f, ...f }) => f)), { maxResults: 100, maxBytes: 100 * 1048576 }).text;
    // Room for every result without its path: all kept, paths dropped.
    const flowsOnly = fitSarif(log(findings), { maxResults: 100, maxBytes: Buffer.byteLength(noFlows) + 2000 });
    const run = JSON.parse(flowsOnly.text).runs[0];
    expect(Buffer.byteLength(full)).toBeGreaterThan(Buffer.byteLength(noFlows) + 2000);
    expect(run.results).toHaveLength(40);
    expect(run.results.some((r: any) => r.codeFlows)).toBe(false);
    expect(flowsOnly.cut).toMatch(/data-flow paths \(codeFlows\) left out/);
    // Half the room: results go too, and the text fits.
    // (the rule descriptors are a fixed part: the room is what they leave, halved)
    const fixed = Buffer.byteLength(fitSarif(log([]), { maxResults: 100, maxBytes: 100 * 1048576 }).text);
    const limit = fixed + Math.floor((Buffer.byteLength(noFlows) - fixed) / 2);
    const half = fitSarif(log(findings), { maxResults: 100, maxBytes: limit });
    expect(Buffer.byteLength(half.text)).toBeLessThanOrEqual(limit);
    const cut = JSON.parse(half.text).runs[0].properties['pyward/cut'];
    expect(cut.resultsOmitted).toBeGreaterThan(0);
    expect(JSON.parse(half.text).runs[0].results).toHaveLength(40 - cut.resultsOmitted);
  });
});
