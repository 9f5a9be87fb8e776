/**
 * A SARIF log cut to fit what GitHub code scanning accepts (results per run, file size), saying what was
 * cut: in the run's `properties` and as a tool execution notification, and in the returned `cut` sentence
 * for the CLI's stderr. What goes first: `# nosec` results, then the least severe results; data-flow paths
 * (`codeFlows`) are dropped before any finding is. Pure.
 */
import type { Notification, Result } from 'sarif';
import { MAX_SARIF_BYTES, MAX_SARIF_RESULTS_PER_RUN } from './github-limits.js';
import type { SarifLog } from './sarif.js';

export interface SarifLimits {
  maxResults: number;
  maxBytes: number;
}

export const SARIF_LIMITS: SarifLimits = { maxResults: MAX_SARIF_RESULTS_PER_RUN, maxBytes: MAX_SARIF_BYTES };

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const CONFIDENCE_RANK: Record<string, number> = { high: 3, medium: 2, low: 1 };

/** Higher = kept longer: unsuppressed before suppressed, then by pyward's severity, then confidence. */
function keepRank(r: Result): number {
  const props = (r.properties ?? {}) as { severity?: string; confidence?: string };
  return (r.suppressions?.length ? 0 : 100) + (SEVERITY_RANK[props.severity ?? ''] ?? 0) * 10 + (CONFIDENCE_RANK[props.confidence ?? ''] ?? 0);
}

const serialize = (log: SarifLog) => `${JSON.stringify(log, null, 2)}\n`;

/** The log as text within `limits`, and a sentence saying what was cut (undefined when nothing was). */
export function fitSarif(log: SarifLog, limits: SarifLimits = SARIF_LIMITS): { text: string; cut?: string } {
  let text = serialize(log);
  const run = log.runs[0];
  const all = run?.results ?? [];
  if (!run || (all.length <= limits.maxResults && Buffer.byteLength(text) <= limits.maxBytes)) return { text };
  // Stable order of the kept results: their place in the original list.
  const order = new Map(all.map((r, i) => [r, i]));
  const ranked = [...all].sort((a, b) => keepRank(b) - keepRank(a) || order.get(a)! - order.get(b)!);
  let keep = Math.min(all.length, limits.maxResults);
  let flowsDropped = false;
  const build = () => {
    const kept = ranked.slice(0, keep).sort((a, b) => order.get(a)! - order.get(b)!);
    const results = flowsDropped ? kept.map(({ codeFlows: _flows, ...r }) => r) : kept;
    const omitted = all.length - keep;
    const why = [
      ...(omitted ? [`${omitted.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} results left out (the least severe, # nosec ones first)`] : []),
      ...(flowsDropped ? ['data-flow paths (codeFlows) left out'] : []),
    ].join('; ');
    const reason = `GitHub code scanning accepts at most ${limits.maxResults.toLocaleString('en-US')} results per run and pyward writes at most ${(limits.maxBytes / 1048576).toFixed(0)} MiB of SARIF`;
    const note: Notification = { level: 'warning', message: { text: `SARIF cut to fit: ${why}. ${reason}; the JSON or text report has every finding.` }, descriptor: { id: 'pyward/sarif-limit' } };
    const invocations = (run.invocations ?? [{ executionSuccessful: true }]).map((inv, i) => (i === 0 ? { ...inv, toolExecutionNotifications: [...(inv.toolExecutionNotifications ?? []), note] } : inv));
    const cutRun = { ...run, invocations, results, properties: { ...run.properties, 'pyward/cut': { resultsOmitted: omitted, resultsTotal: all.length, codeFlowsDropped: flowsDropped, reason } } };
    return { text: serialize({ ...log, runs: [cutRun, ...log.runs.slice(1)] }), cut: `SARIF cut to fit: ${why} (${reason}).` };
  };
  let out = build();
  if (Buffer.byteLength(out.text) > limits.maxBytes) {
    flowsDropped = true;
    out = build();
  }
  // Shrink in proportion to the overshoot until it fits (a few rounds at most).
  for (let size = Buffer.byteLength(out.text); size > limits.maxBytes && keep > 0; size = Buffer.byteLength(out.text)) {
    keep = Math.max(0, Math.min(keep - 1, Math.floor((keep * limits.maxBytes * 0.95) / size)));
    out = build();
  }
  return out;
}
