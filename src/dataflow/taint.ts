/**
 * Abstract values of the data-flow analysis. A value is `undefined` (carries nothing: the common case, no
 * allocation) or a short list of entries, each saying which label's data it carries (a source, a parameter
 * of the function, the result of a call to a project function), through which steps it got here, and for
 * which rules it has been made safe on the way.
 */
import { TAINT_RULES, type TaintRuleId } from './models/types.js';

/** A step of a flow inside one file: a span and what to call it (`query`; the span's text when absent). */
export interface Step {
  start: number;
  end: number;
  label: string | undefined;
}

/** Steps from the label's origin to here, newest first (shared tails: adding a step copies nothing). */
export interface Trace {
  step: Step;
  prev: Trace | undefined;
  length: number;
}

/**
 * A string that starts like this cannot change the scheme and host of a URL (`https://api.example.com/...`):
 * what follows is a path, a query or a fragment.
 */
export const FIXED_HOST = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#{}]+[/?#]/;

/** Entry flag: the value was built into a larger string (`"SELECT " + x`, an f-string). */
export const BUILT = 1 << 10;
/** Bits 0-9: the rule of that index (PW101 = bit 0) can no longer be reached through this entry. */
export const ALL_RULES_CLEARED = (1 << TAINT_RULES.length) - 1;

export interface Entry {
  /** Index into the file's label table. */
  label: number;
  /** Cleared-rule bits and BUILT. */
  flags: number;
  trace: Trace | undefined;
}

export type Taint = readonly Entry[] | undefined;

/** Most entries a value keeps: enough to show a flow from each of a few sources, bounded for hostile code. */
const MAX_ENTRIES = 12;
const MAX_TRACE = 24;

export function ruleBit(rule: TaintRuleId): number {
  return 1 << TAINT_RULES.indexOf(rule);
}

export function ruleMask(rules: readonly TaintRuleId[] | 'all'): number {
  if (rules === 'all') return ALL_RULES_CLEARED;
  let m = 0;
  for (const r of rules) m |= ruleBit(r);
  return m;
}

export function union(a: Taint, b: Taint): Taint {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0 || a === b) return a;
  let out: Entry[] | undefined;
  for (const e of b) {
    let dup = false;
    for (const x of a) {
      if (x.label === e.label && x.flags === e.flags) {
        dup = true;
        break;
      }
    }
    if (dup) continue;
    if (out) {
      if (out.some((x) => x.label === e.label && x.flags === e.flags)) continue;
    }
    out ??= [...a];
    if (out.length >= MAX_ENTRIES) break;
    out.push(e);
  }
  return out ?? a;
}

export function unionAll(values: Taint[]): Taint {
  let t: Taint;
  for (const v of values) t = union(t, v);
  return t;
}

/** The value with `step` added to every entry's trace. */
export function withStep(t: Taint, step: Step): Taint {
  if (!t) return t;
  return t.map((e) => (e.trace && e.trace.length >= MAX_TRACE ? e : { label: e.label, flags: e.flags, trace: { step, prev: e.trace, length: (e.trace?.length ?? 0) + 1 } }));
}

/** The value made safe for the rules in `mask`; entries safe for every rule are dropped. */
export function clear(t: Taint, mask: number): Taint {
  if (!t || mask === 0) return t;
  let out: Entry[] | undefined;
  for (let i = 0; i < t.length; i++) {
    const e = t[i];
    const flags = e.flags | mask;
    if (flags === e.flags) {
      out?.push(e);
      continue;
    }
    out ??= t.slice(0, i);
    if ((flags & ALL_RULES_CLEARED) !== ALL_RULES_CLEARED) out.push({ label: e.label, flags, trace: e.trace });
  }
  return out ? (out.length ? out : undefined) : t;
}

/** The value with some flag bits set on every entry (BUILT). */
export function mark(t: Taint, bits: number): Taint {
  if (!t) return t;
  return t.every((e) => (e.flags & bits) === bits) ? t : t.map((e) => ({ label: e.label, flags: e.flags | bits, trace: e.trace }));
}

/** Steps of a trace, oldest first. */
export function traceSteps(trace: Trace | undefined): Step[] {
  const out: Step[] = [];
  for (let t = trace; t; t = t.prev) out.push(t.step);
  return out.reverse();
}

export function sameTaint(a: Taint, b: Taint): boolean {
  if (a === b) return true;
  if (!a || !b) return (a?.length ?? 0) === 0 && (b?.length ?? 0) === 0;
  if (a.length !== b.length) return false;
  return a.every((e) => b.some((x) => x.label === e.label && x.flags === e.flags));
}
