/**
 * What a review did not cover, and what that does to its verdict. A required check that passes when pyward
 * gave up is a way to merge unreviewed code (a file too big, too deep or in an unknown encoding, a
 * dependency file over its cap, the advisory source down, a listing GitHub cut short, imported modules
 * data flow could not read), so by default an incomplete review fails; `incomplete: neutral` softens that. The App's check run and the CLI's exit code
 * both come from here, so they agree.
 */
import type { Config } from '../config/schema.js';
import type { ChangeReview, Review } from '../engine/types.js';

/** One thing the review did not look at, and why. */
export interface NotReviewed {
  path: string;
  reason: string;
}

/**
 * Skip reasons that leave nothing unreviewed: the file holds no Python or dependency pins pyward reads, the
 * default branch's config excludes it, or it is a link or a submodule (whose target is reviewed where it
 * changes; symlinks are never followed).
 */
const COVERED_SKIPS = new Set(['not Python', 'ignored by paths.ignore', 'symbolic link', 'submodule', 'no blob (submodule or symlink)']);

/** Everything the review could not cover, in a stable order. Pure. */
export function notReviewed(review: Review | ChangeReview): NotReviewed[] {
  const out: NotReviewed[] = [];
  for (const e of review.errors) {
    // A syntax error still leaves the rest of the file analysed; CPython would not run the file either.
    if (e.kind === 'syntax') continue;
    out.push({ path: e.path, reason: e.message.replace(/^not analysed: /, '') });
  }
  if ('skipped' in review) {
    for (const s of review.skipped) if (!COVERED_SKIPS.has(s.reason)) out.push({ path: s.path, reason: s.reason });
    if (review.truncated) out.push({ path: '', reason: review.truncated });
    if (review.context?.unavailable) out.push({ path: '', reason: review.context.unavailable });
  }
  const deps = review.dependencies?.status;
  if (deps?.state === 'unavailable') {
    out.push({ path: '', reason: `dependency check unavailable: ${deps.source ?? 'the advisory source'} could not be queried (${deps.message ?? 'unknown error'})` });
  }
  return out;
}

/** The conclusion an incomplete review gets: `failure` unless the config asks for `neutral`. */
export function incompleteConclusion(config: Pick<Config, 'incomplete'> | undefined): 'failure' | 'neutral' {
  return config?.incomplete === 'neutral' ? 'neutral' : 'failure';
}

/** How to get a complete review, said once under the list. */
export const INCOMPLETE_FIX =
  'Re-run the check if a service or a time limit was the cause; exclude generated or vendored files with `paths.ignore` in `.github/pyward.yml` on the default branch; or set `incomplete: neutral` there to let incomplete reviews pass.';
