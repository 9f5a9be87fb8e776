/**
 * The ReDoS verdict on a translated pattern, from two checkers run synchronously (bench/REDOS-RESULTS.md):
 *
 * 1. scslre (RunDevelopment, the analysis behind eslint-plugin-regexp's no-super-linear-backtracking): fast
 *    (a few ms a pattern) but reports some safe patterns; a pattern it finds no exponential blow-up in is safe for us.
 * 2. recheck (makenowjust-labs), which proves the blow-up (automata theory, or fuzzing for backreferences and
 *    lookarounds) and gives an attack string, but takes 50-1000 ms a pattern. Its pure-JavaScript backend is
 *    the only one that runs inside a rule visitor (the others are a child process or a worker); it is 3 MB
 *    (about 200 ms to load), so it loads at the first pattern scslre flags, and each check has a time budget.
 *
 * A finding needs scslre's "exponential" and then recheck's "vulnerable" (or recheck running out of time).
 */
import { createRequire } from 'node:module';

export type Verdict =
  | { vulnerable: false }
  | {
      vulnerable: true;
      complexity: 'exponential' | 'polynomial';
      degree?: number;
      /** Spans of the checked source where the backtracking happens. */
      hotspots: { start: number; end: number }[];
      /** The attack: repeat each pump after its prefix, then add the suffix. */
      attack?: { pumps: { prefix: string; pump: string }[]; suffix: string };
      /** Which checker decided: recheck, or scslre alone when recheck ran out of time. */
      by: 'recheck' | 'scslre';
    };

interface RecheckDiagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  attack?: { pumps: { prefix: string; pump: string }[]; suffix: string };
  hotspot?: { start: number; end: number; temperature: string }[];
}
type CheckSync = (source: string, flags: string, params: { timeout: number }) => RecheckDiagnostics;
interface ScslreReport {
  exponential: boolean;
  character: { pick: string };
}
type Analyse = (literal: { source: string; flags: string }, options: { maxReports: number }) => { reports: ScslreReport[] };

let checkSync: CheckSync | undefined;
let analyse: Analyse | undefined;
/** Verdicts by flags and source: the same pattern often appears in many files of a tree. */
const cache = new Map<string, Verdict>();
const CACHE_LIMIT = 2000;

// A module-level `require` with literal specifiers: the form the Action's bundle (scripts/action-bundle.mjs)
// bundles, where the two checkers stay lazily evaluated too.
const require = createRequire(import.meta.url);

function loadRecheck(): CheckSync {
  checkSync ??= (require('recheck') as { checkSync: CheckSync }).checkSync;
  return checkSync;
}

function loadScslre(): Analyse {
  analyse ??= (require('scslre') as { analyse: Analyse }).analyse;
  return analyse;
}

export function checkRedos(source: string, flags: string, timeoutMs: number): Verdict {
  const key = `${flags}/${timeoutMs}/${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const verdict = run(source, flags, timeoutMs);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, verdict);
  return verdict;
}

function run(source: string, flags: string, timeoutMs: number): Verdict {
  let reports: ScslreReport[];
  try {
    reports = loadScslre()({ source, flags }, { maxReports: 5 }).reports;
  } catch {
    return { vulnerable: false }; // a pattern the checkers cannot read: say nothing rather than guess
  }
  // Only exponential reports go on: scslre's polynomial ones would need recheck's 50-1000 ms on many
  // common, safe patterns (bench/REDOS-RESULTS.md), and are not what "catastrophic" means.
  const exponential = reports.find((r) => r.exponential);
  if (!exponential) return { vulnerable: false };
  const d = recheck(source, flags, timeoutMs);
  if (d?.status === 'vulnerable' && d.complexity) {
    return {
      vulnerable: true,
      by: 'recheck',
      complexity: d.complexity.type === 'exponential' ? 'exponential' : 'polynomial',
      ...(d.complexity.degree !== undefined ? { degree: d.complexity.degree } : {}),
      hotspots: (d.hotspot ?? []).filter((h) => h.temperature === 'heat').map(({ start, end }) => ({ start, end })),
      ...(d.attack ? { attack: { pumps: d.attack.pumps.map(({ prefix, pump }) => ({ prefix, pump })), suffix: d.attack.suffix } } : {}),
    };
  }
  if (d?.status === 'unknown') {
    return { vulnerable: true, by: 'scslre', complexity: 'exponential', hotspots: [], attack: { pumps: [{ prefix: '', pump: exponential.character.pick }], suffix: '' } };
  }
  return { vulnerable: false };
}

function recheck(source: string, flags: string, timeoutMs: number): RecheckDiagnostics | undefined {
  const check = loadRecheck();
  // recheck reads its backend at each call; only the pure one is synchronous in this thread.
  const previous = process.env.RECHECK_SYNC_BACKEND;
  process.env.RECHECK_SYNC_BACKEND = 'pure';
  try {
    return check(source, flags, { timeout: timeoutMs });
  } catch {
    return undefined;
  } finally {
    if (previous === undefined) delete process.env.RECHECK_SYNC_BACKEND;
    else process.env.RECHECK_SYNC_BACKEND = previous;
  }
}
