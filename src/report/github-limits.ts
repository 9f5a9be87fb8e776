/** GitHub's limits a PR bot must respect (docs.github.com: checks, pulls, rate limits), as named constants. */

/** Annotations accepted by one check-run create/update call; more need further PATCH calls, which append. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/**
 * Annotations pyward sends per check run (worst first); the rest are counted by rule in the summary. Each
 * batch of 50 is one more PATCH that re-sends the summary: 100,000 findings would be 2,000 requests.
 */
export const MAX_ANNOTATIONS_PER_CHECK = 500;
/** `output.summary` and `output.text` of a check run, each. */
export const MAX_CHECK_RUN_TEXT = 65_535;
/** Body of a PR review or comment. */
export const MAX_COMMENT_BODY = 65_536;
/** `pulls.listFiles` stops here, whatever the PR holds. */
export const MAX_LISTED_PR_FILES = 3_000;
/** Files per page we ask `pulls.listFiles` for (its maximum). */
export const PR_FILES_PER_PAGE = 100;
/** Inline comments pyward posts in one review unless `review.max_comments` says otherwise. */
export const DEFAULT_MAX_REVIEW_COMMENTS = 25;
/** Check-run title. */
export const MAX_CHECK_RUN_TITLE = 255;
/** Name of the check run: what branch protection requires. */
export const CHECK_RUN_NAME = 'pyward';
/**
 * Code scanning's SARIF upload: at most 25,000 results per run (docs.github.com, "SARIF support for code
 * scanning": upload limits), and 10 MB gzip-compressed per file. pyward writes at most 20 MiB of SARIF,
 * which compresses far below that, so an upload never fails for size.
 */
export const MAX_SARIF_RESULTS_PER_RUN = 25_000;
export const MAX_SARIF_BYTES = 20 * 1024 * 1024;
