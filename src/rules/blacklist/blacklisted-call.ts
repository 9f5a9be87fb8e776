/**
 * Factory for Bandit's blacklisted calls (B3xx): a rule that flags a call whose callee resolves to one of a
 * list of qualified names, however it was imported, aliased or assigned to a variable.
 */
import type { Fix } from '../../engine/types.js';
import type { CallInfo } from '../../python/resolve.js';
import { truthy } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type Rule, type RuleContext, type RuleMeta, type Visitor } from '../rule.js';

export interface BlacklistedCallSpec {
  meta: RuleMeta;
  /** Qualified names whose calls are flagged (`pickle.loads`, `eval`). */
  qualnames: readonly string[];
  /** The finding's message for the matched qualified name. */
  message: (qname: string) => string;
  /** Further condition on the call; returning false leaves it alone. */
  when?: (call: CallInfo, ctx: RuleContext, qname: string) => boolean;
  /** A fix (advice, or an edit when it is mechanically safe). */
  fix?: (call: CallInfo, ctx: RuleContext, qname: string) => Fix | undefined;
  /** Visitors for uses that are not calls (e.g. `ssl._create_default_https_context = ...`). */
  visit?: Partial<Record<string, Visitor>>;
}

export function blacklistedCall(spec: BlacklistedCallSpec): Rule {
  const names = new Set(spec.qualnames);
  return defineRule({
    meta: spec.meta,
    callNames: lastSegments(spec.qualnames),
    visit: {
      ...spec.visit,
      call(node, ctx) {
        const call = ctx.call(node);
        const q = call.qname;
        if (q === undefined || !names.has(q)) return;
        if (spec.when && !spec.when(call, ctx, q)) return;
        const fix = spec.fix?.(call, ctx, q);
        ctx.report(node, { message: spec.message(q), ...(fix ? { fix } : {}) });
      },
      // `@mark_safe` on a function calls it on every return value: a call without the parentheses
      decorator(node, ctx) {
        if (spec.visit?.decorator) spec.visit.decorator(node, ctx);
        const expr = node.namedChildren.find((c) => c.type !== 'comment');
        if (!expr || (expr.type !== 'identifier' && expr.type !== 'attribute')) return;
        const q = ctx.qname(expr);
        if (q !== undefined && names.has(q)) ctx.report(expr, { message: spec.message(q) });
      },
    },
  });
}

/** A fix that is advice only (no edit). */
export function advice(description: string): () => Fix {
  return () => ({ description });
}

/**
 * False when the call passes `usedforsecurity=` (Python 3.9+) with a falsy or non-constant value: the digest is
 * declared non-security (a value pyward cannot know gets the benefit of the doubt, as in Bandit).
 */
export function usedForSecurity(call: CallInfo, ctx: RuleContext): boolean {
  const arg = call.keywords.get('usedforsecurity');
  return arg === undefined || truthy(ctx.constant(arg)) === true;
}
