/**
 * `pyward scan --diff BASE..HEAD`: a git range reviewed as the app reviews a pull request. git -> change
 * set -> scanChange -> the chosen report; `github-review` prints what the app would post.
 */
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { ignoreMatcher } from '../config/path-ignore.js';
import { reviewChange } from '../engine/review-change.js';
import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import { AddedLines } from '../diff/patch.js';
import type { Parser } from 'web-tree-sitter';
import { prepareRules } from '../engine/analyze-file.js';
import { CONTEXT_LIMITS, readContext } from '../engine/read-context.js';
import { judgesSettings, readSettingsContext, remainingLimits } from '../engine/read-settings-context.js';
import { isPythonPath } from '../engine/scan-change.js';
import type { ChangeReview, ChangeSet } from '../engine/types.js';
import { decodePythonSource } from '../python/decode.js';
import { pythonParser } from '../python/parser.js';
import { renderCheckRun } from '../report/check-run.js';
import { MAX_CHECK_RUN_TEXT } from '../report/github-limits.js';
import type { ProposedConfigCheck } from '../engine/proposed-config.js';
import { renderJson } from '../report/json.js';
import { commentable, renderReview } from '../report/review-comments.js';
import { ruleUrl } from '../report/rule-links.js';
import { RULES_DOC_PATH } from '../report/rules-doc.js';
import { renderSarif } from '../report/sarif.js';
import { fitSarif } from '../report/sarif-limits.js';
import { failsAt, plural } from '../report/summary.js';
import { renderText } from '../report/text.js';
import { terminalText } from '../report/terminal.js';
import { renderWorkflowCommands } from '../report/workflow-commands.js';
import { sarifRuleUrl } from './links.js';
import type { Rule } from '../rules/rule.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';
import type { DiffRange, ScanArgs } from './args.js';
import { gitChangeSet, gitIncludeReader, gitTreeReader } from './git-source.js';
import { readIncludes } from '../engine/read-includes.js';

export interface DiffScanContext {
  config: Config;
  /** Where the config came from, for the check-run summary. */
  configSource: string;
  repoDir: string;
  toolVersion: string;
  /** Colour the text report. */
  color: boolean;
  /** Where dependency advisories come from; undefined = advisory checks off. */
  advisories?: AdvisorySource;
  /** The range's own `.github/pyward.yml`, when it changes it: reported, never applied. */
  proposed?: ProposedConfigCheck;
  /** `--baseline`: fingerprints of known findings, not reported. */
  baseline?: ReadonlySet<string>;
}

export interface DiffScanResult {
  report: string;
  /** Said on stderr: what a format's limit cut (SARIF). */
  warning?: string;
  failed: boolean;
  review: ChangeReview;
  /** Findings left out because the baseline has them. */
  known?: number;
}

export async function reviewRange(range: DiffRange, ctx: DiffScanContext): Promise<{ change: ChangeSet; review: ChangeReview; rules: Rule[] }> {
  const listed = await gitChangeSet(ctx.repoDir, range.base, range.head, { mergeBase: range.mergeBase });
  const rules = selectRules(ctx.config);
  const isIgnored = ignoreMatcher(ctx.config.paths.ignore);
  const active = prepareRules(rules, ALL_RULES, ctx.config);
  const parser = await pythonParser();
  const withModules = await withContextModules(ctx.repoDir, listed, parser, { dataflow: active.dataflow && ctx.config.dataflow.enabled, settings: judgesSettings(active.rules) }, isIgnored);
  const includes = await readIncludes(withModules, { read: gitIncludeReader(ctx.repoDir, withModules.headSha), added: AddedLines.fromPatches(withModules.files), ...(isIgnored ? { isIgnored } : {}) });
  const change = includes ? { ...withModules, includes } : withModules;
  const review = await reviewChange(change, {
    parser,
    config: ctx.config,
    active,
    now: () => performance.now(),
    ...(isIgnored ? { isIgnored } : {}),
    ...(ctx.advisories ? { advisories: ctx.advisories } : {}),
    today: new Date().toISOString().slice(0, 10),
  });
  // An unusable proposed config is not reviewed: it fails closed like a skipped file (as in the App).
  if (ctx.proposed?.error) review.errors.push(ctx.proposed.error);
  return { change, review, rules };
}

/**
 * What the review reads beside the range, from the head commit's tree (never the work tree), within the
 * app's bounds: the files around a changed settings module (its pointers and siblings) when settings rules
 * run, and the unchanged project modules the range's Python files import when data flow runs, so both
 * judge the change as the app's review does. A failed read of the imported modules makes the review
 * incomplete (the context's `unavailable`, as in the app); a failed read of the settings files is a note.
 * Neither is an error of the scan.
 */
async function withContextModules(repoDir: string, change: ChangeSet, parser: Parser, want: { dataflow: boolean; settings: boolean }, isIgnored?: (path: string) => boolean): Promise<ChangeSet> {
  if ((!want.dataflow && !want.settings) || !change.files.some((f) => f.head !== undefined && f.status !== 'removed')) return change;
  let tree: Awaited<ReturnType<typeof gitTreeReader>>;
  try {
    tree = await gitTreeReader(repoDir, change.headSha);
  } catch (err) {
    const why = `could not list the head commit's files (${(err as Error).message}); flows into unchanged modules were not followed and settings modules were judged alone`;
    return { ...change, context: want.dataflow ? { files: [], unavailable: why } : { files: [], note: why } };
  }
  const settings = want.settings ? await readSettingsContext(change, { parser, source: tree, batchSize: CONTEXT_LIMITS.batchSize, ...(isIgnored ? { isIgnored } : {}) }) : undefined;
  const withSettings = settings ? { ...change, project: { files: settings.files, ...(settings.note ? { note: settings.note } : {}) } } : change;
  if (!want.dataflow || !change.files.some((f) => isPythonPath(f.path) && f.head !== undefined)) return withSettings;
  const context = await readContext(change, { parser, read: tree.read, known: tree.known, limits: remainingLimits(CONTEXT_LIMITS, settings), ...(isIgnored ? { isIgnored } : {}) });
  return context ? { ...withSettings, context } : withSettings;
}

function sourceLinesOf(change: ChangeSet): (path: string) => readonly string[] | undefined {
  const cache = new Map<string, readonly string[] | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      const head = change.files.find((f) => f.path === path)?.head;
      let text: string | undefined;
      if (typeof head === 'string') text = head;
      else if (head) {
        const decoded = decodePythonSource(head);
        text = decoded.ok ? decoded.text : undefined;
      }
      cache.set(path, text?.split('\n'));
    }
    return cache.get(path);
  };
}

/** What the app would post for this change: the check run and the review, as one JSON document. */
export function renderGithubReview(change: ChangeSet, review: ChangeReview, rules: readonly Rule[], ctx: DiffScanContext): string {
  const rendered = renderReview(commentable(review.findings, ctx.config.review.min_severity), {
    rules,
    added: AddedLines.fromPatches(change.files),
    maxComments: ctx.config.review.max_comments,
    alreadyCommented: new Set(),
    sourceLines: sourceLinesOf(change),
    // Relative to pyward's own repository, where this preview is read; advisories link to their OSV record.
    docsUrl: (ruleId) => ruleUrl(ruleId, { kind: 'docs', docsUrl: RULES_DOC_PATH }, (id) => rules.some((r) => r.meta.id === id)),
    fileUrl: (path, line) => `${path.split('/').map(encodeURIComponent).join('/')}#L${line}`,
  });
  const output = renderCheckRun(review, {
    config: ctx.config,
    rules,
    configSource: ctx.configSource,
    fileUrl: (path, line) => `${path.split('/').map(encodeURIComponent).join('/')}#L${line}`,
    notCommented: rendered.notCommented,
  });
  // The App puts the note on the proposed config above the summary.
  const checkRun = ctx.proposed ? { ...output, summary: `> ${ctx.proposed.note.split('\n').join('\n> ')}\n\n${output.summary}`.slice(0, MAX_CHECK_RUN_TEXT) } : output;
  return `${JSON.stringify({ checkRun, review: { body: rendered.body, comments: rendered.comments } }, null, 2)}\n`;
}

/** The text report, plus what only a change review has: the range, pre-existing findings, skipped files. */
function renderChangeText(review: ChangeReview, rules: readonly Rule[], ctx: DiffScanContext): string {
  const lines = [`Reviewed ${review.baseSha.slice(0, 12)}..${review.headSha.slice(0, 12)}: findings on lines this change added.`, ''];
  let text = lines.join('\n') + renderText(review, rules, { color: ctx.color, failOn: ctx.config.fail_on });
  const notes: string[] = [];
  if (review.preExisting.length) {
    const files = new Set(review.preExisting.map((f) => f.location.path)).size;
    notes.push(`${plural(review.preExisting.length, 'pre-existing finding')} in ${plural(files, 'touched file')} not reported (on lines this change did not add).`);
  }
  if (review.skipped.length) {
    const byReason = new Map<string, number>();
    for (const s of review.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    notes.push(`Skipped ${plural(review.skipped.length, 'changed file')}: ${[...byReason].map(([reason, n]) => `${n} ${terminalText(reason)}`).join(', ')}.`);
  }
  if (review.truncated) notes.push(terminalText(review.truncated));
  if (ctx.proposed) notes.push(ctx.proposed.note.replace(/\*\*/g, '').replace(/\n>\n> /g, '\n  ').replace(/\n> /g, '\n  ').split('\n').map(terminalText).join('\n'));
  if (review.context?.files) notes.push(`Data flow also read ${plural(review.context.files, 'unchanged project module')} that the changed files import.`);
  if (review.context?.note) notes.push(`Note: ${terminalText(review.context.note)}.`);
  if (notes.length) text += `${notes.join('\n')}\n`;
  return text;
}

export async function scanDiff(args: ScanArgs & { diff: DiffRange }, ctx: DiffScanContext): Promise<DiffScanResult> {
  const { change, review, rules } = await reviewRange(args.diff, ctx);
  const before = review.findings.length;
  if (ctx.baseline) review.findings = review.findings.filter((f) => !ctx.baseline!.has(f.fingerprint));
  const failed = failsAt(review, ctx.config.fail_on);
  let report: string;
  if (args.format === 'json') report = renderJson(review, { toolVersion: ctx.toolVersion, failed });
  else if (args.format === 'sarif') {
    const sarif = fitSarif(renderSarif(review, rules, { toolVersion: ctx.toolVersion, ruleUrl: sarifRuleUrl() }));
    return { report: sarif.text, failed, review, known: before - review.findings.length, ...(sarif.cut ? { warning: sarif.cut } : {}) };
  } else if (args.format === 'github') report = renderWorkflowCommands(review, { failOn: ctx.config.fail_on });
  else if (args.format === 'github-review') report = renderGithubReview(change, review, rules, ctx);
  else report = renderChangeText(review, rules, ctx);
  return { report, failed, review, known: before - review.findings.length };
}
