/**
 * The visitors the PW4xx rules share: every Python string literal (plain, bytes, the constant parts of an
 * f-string, and implicit concatenations as one value, so a token split over two lines is still seen;
 * docstrings are string literals too), and, for the formats with a structure of their own (PW401 tokens and
 * keys, PW402 PEM blocks), comments: a token pasted into a comment is in the git history like any other.
 * Consecutive full-line comments are read as one text without their `#`, so a PEM block commented out line
 * by line is one key. PW403 stays out of comments: a URL's password has no structure to recognise, and
 * comments are where connection strings are shown as examples.
 */
import { stringLiteral } from '../../python/strings.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { RuleContext, Rule, Visitor } from '../rule.js';
import { commentHinted, findSecrets, secretMessage, type SecretMatch } from './detect.js';

import type { SecretRuleId } from './formats.js';

/** The three rules look at the same literals: detect once per node. */
const cache = new WeakMap<Node, SecretMatch[]>();

function secretsIn(node: Node, ctx: RuleContext): SecretMatch[] {
  let found = cache.get(node);
  if (!found) {
    const literal = stringLiteral(node);
    found = literal ? findSecrets(literal.value, { fileText: ctx.text, path: ctx.path }) : [];
    cache.set(node, found);
  }
  return found;
}

/** Reports the literal node (the span B105-B107 report, so `covers` can pair them), once per rule. */
export function secretVisitors(ruleId: SecretRuleId): Record<string, Visitor> {
  const visit: Visitor = (node, ctx) => {
    if (node.type === 'string' && node.parent?.type === 'concatenated_string') return; // seen as the whole
    const matches = secretsIn(node, ctx).filter((m) => m.ruleId === ruleId);
    if (!matches.length) return;
    const more = matches.length > 1 ? ` (${matches.length - 1} more in the same string: ${matches.slice(1).map((m) => `\`${m.redacted}\``).join(', ')})` : '';
    ctx.report(node, { message: `${secretMessage(matches[0])}${more}`, confidence: matches.some((m) => m.confidence === 'high') ? 'high' : 'medium' });
  };
  return { string: visit, concatenated_string: visit };
}

export const SECRET_REFERENCES = [
  'https://cwe.mitre.org/data/definitions/798.html',
  'https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password',
  'https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns',
];

/** Bandit's name-based checks that flag the same literal when it is assigned to or passed as a password-like name. */
export const BANDIT_PASSWORD_CHECKS = ['B105', 'B106', 'B107'] as const;

/** A run of comments as one text, with where each of its lines starts in the file (0-based row and column). */
interface CommentBlock {
  text: string;
  /** Offset in `text` where each line starts, and the file position of that offset. */
  lines: { offset: number; row: number; column: number }[];
}

/** Comments grouped into blocks: consecutive lines that hold only a comment; a comment after code is a block of its own. */
function commentBlocks(ctx: RuleContext): CommentBlock[] {
  const rows = [...ctx.comments.keys()].sort((a, b) => a - b);
  const fileLines = ctx.text.split('\n');
  const blocks: CommentBlock[] = [];
  let current: CommentBlock | undefined;
  let lastRow = -2;
  for (const row of rows) {
    const comment = ctx.comments.get(row)!;
    const line = fileLines[row] ?? '';
    const column = line.lastIndexOf(comment);
    if (column < 0) continue;
    const fullLine = line.slice(0, column).trim() === '';
    const marker = /^#+ ?/.exec(comment)![0].length;
    const body = comment.slice(marker);
    if (!current || !fullLine || row !== lastRow + 1) {
      current = { text: '', lines: [] };
      blocks.push(current);
    } else current.text += '\n';
    current.lines.push({ offset: current.text.length, row, column: column + marker });
    current.text += body;
    lastRow = fullLine ? row : -2; // a comment after code never continues into the next line
  }
  return blocks;
}

/** The file position (1-based line and column) of an offset in a block. */
function positionIn(block: CommentBlock, offset: number): { line: number; column: number } {
  let i = block.lines.length - 1;
  while (i > 0 && block.lines[i].offset > offset) i--;
  const l = block.lines[i];
  return { line: l.row + 1, column: l.column + (offset - l.offset) + 1 };
}

let commentsOf: { text: string; path: string; found: { block: CommentBlock; match: SecretMatch }[] } | undefined;

/** The structured credentials in a file's comments, computed once per file for both rules. */
function commentSecrets(ctx: RuleContext): { block: CommentBlock; match: SecretMatch }[] {
  if (commentsOf?.text === ctx.text && commentsOf.path === ctx.path) return commentsOf.found;
  const found: { block: CommentBlock; match: SecretMatch }[] = [];
  // Every format has a line that shows its hint (a PEM block its BEGIN line): most files need no blocks at all.
  let hinted = false;
  for (const c of ctx.comments.values()) if (c.length >= 10 && commentHinted(c)) hinted = true;
  for (const block of hinted ? commentBlocks(ctx) : []) {
    for (const match of findSecrets(block.text, { fileText: ctx.text, path: ctx.path })) if (match.ruleId !== 'PW403') found.push({ block, match });
  }
  commentsOf = { text: ctx.text, path: ctx.path, found };
  return found;
}

/** A rule's `file` hook reporting the credentials of its format found in comments (PW401, PW402). */
export function commentSecretsHook(ruleId: 'PW401' | 'PW402'): NonNullable<Rule['file']> {
  return (ctx) => {
    if (!ctx.comments.size) return;
    for (const { block, match } of commentSecrets(ctx)) {
      if (match.ruleId !== ruleId) continue;
      const start = positionIn(block, match.start);
      const end = positionIn(block, match.end - 1);
      ctx.reportRange({ startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column + 1 }, { message: secretMessage(match, 'in a comment'), confidence: match.confidence });
    }
  };
}
