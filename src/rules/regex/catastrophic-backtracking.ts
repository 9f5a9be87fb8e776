import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { RE_FLAGS, translatePythonRegex, type MatchMode } from './python-regex.js';
import { checkRedos } from './redos-checker.js';

/** Functions of `re` (and the `regex` package) taking a pattern first, and the position of their `flags`. */
const FLAGS_AT: Record<string, number> = { compile: 1, search: 2, match: 2, fullmatch: 2, findall: 2, finditer: 2, split: 3, sub: 4, subn: 4 };
const MODULES = new Set(['re', 'regex']);
const FLAG_NAMES: Record<string, number> = {
  NOFLAG: 0, T: RE_FLAGS.TEMPLATE, TEMPLATE: RE_FLAGS.TEMPLATE, I: RE_FLAGS.IGNORECASE, IGNORECASE: RE_FLAGS.IGNORECASE,
  L: RE_FLAGS.LOCALE, LOCALE: RE_FLAGS.LOCALE, M: RE_FLAGS.MULTILINE, MULTILINE: RE_FLAGS.MULTILINE, S: RE_FLAGS.DOTALL,
  DOTALL: RE_FLAGS.DOTALL, U: RE_FLAGS.UNICODE, UNICODE: RE_FLAGS.UNICODE, X: RE_FLAGS.VERBOSE, VERBOSE: RE_FLAGS.VERBOSE,
  A: RE_FLAGS.ASCII, ASCII: RE_FLAGS.ASCII, DEBUG: 0,
};
const DEFAULT_TIMEOUT_MS = 250;

function patternFunction(qname: string | undefined): string | undefined {
  if (!qname) return undefined;
  const dot = qname.lastIndexOf('.');
  const name = qname.slice(dot + 1);
  return dot > 0 && MODULES.has(qname.slice(0, dot)) && Object.hasOwn(FLAGS_AT, name) ? name : undefined;
}

/** The value of a `flags` argument (`re.I | re.X`, `re.IGNORECASE + re.M`, a name bound to either); undefined if unknown. */
function flagsValue(ctx: RuleContext, arg: Arg, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  const constant = ctx.constant(arg);
  if (typeof constant === 'number') return constant;
  const { node } = arg;
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return flagsValue(ctx, { node: node.namedChildren[0], scope: arg.scope }, depth + 1);
  if (node.type === 'binary_operator') {
    const op = node.childForFieldName('operator')?.text;
    const l = flagsValue(ctx, { node: node.childForFieldName('left')!, scope: arg.scope }, depth + 1);
    const r = flagsValue(ctx, { node: node.childForFieldName('right')!, scope: arg.scope }, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    return op === '|' || op === '+' ? l | r : undefined;
  }
  if (node.type === 'attribute' || node.type === 'identifier') {
    const q = ctx.qname(node)?.replace(/\.RegexFlag\./, '.');
    const dot = q?.lastIndexOf('.') ?? -1;
    if (q && dot > 0 && MODULES.has(q.slice(0, dot)) && Object.hasOwn(FLAG_NAMES, q.slice(dot + 1))) return FLAG_NAMES[q.slice(dot + 1)];
    const bound = ctx.expression(arg);
    if (bound.node !== node) return flagsValue(ctx, bound, depth + 1);
  }
  return undefined;
}

/** The pattern's text: a literal, a name bound to one, parenthesised or concatenated (`+` or implicitly). */
function patternLiteral(ctx: RuleContext, arg: Arg): { value: string; isBytes: boolean } | undefined {
  let bound = ctx.expression(arg);
  while (bound.node.type === 'parenthesized_expression' && bound.node.namedChildren[0]) bound = { node: bound.node.namedChildren[0], scope: bound.scope };
  const literal = ctx.string(bound);
  if (literal) return literal.dynamic ? undefined : literal;
  const value = ctx.constant(bound);
  return typeof value === 'string' ? { value, isBytes: /^[rR]?[bB]/.test(bound.node.text) } : undefined;
}

/** A Python literal for an attack string: `'a' + 'ab' * 30 + '!'`. */
function pythonAttack(attack: { pumps: { prefix: string; pump: string }[]; suffix: string }, times: number): string {
  const lit = (s: string) =>
    `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/gu, (c) => {
      const cp = c.codePointAt(0)!;
      return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    })}'`;
  const parts: string[] = [];
  for (const { prefix, pump } of attack.pumps) {
    if (prefix) parts.push(lit(prefix));
    parts.push(`${lit(pump)} * ${times}`);
  }
  if (attack.suffix) parts.push(lit(attack.suffix));
  return parts.join(' + ');
}

export const catastrophicBacktracking = defineRule({
  meta: {
    id: 'PW111',
    name: 'catastrophic-backtracking',
    severity: 'medium',
    confidence: 'medium',
    cwe: 1333,
    options: { timeout_ms: DEFAULT_TIMEOUT_MS },
    doc: {
      summary: 'A literal regular expression that can backtrack catastrophically (ReDoS)',
      why:
        "Python's `re` is a backtracking matcher. A pattern with a repetition inside a repetition whose paths overlap (`(a+)+`, `(\\w+\\s?)*`, `(a|ab)*`) " +
        'can try exponentially (or polynomially) many ways to match before it fails, so one crafted string of a few dozen characters holds a worker for minutes: ' +
        'a denial of service whenever the pattern sees input an attacker controls (a form field, a header, a log line, an uploaded file). ' +
        'pyward reads the pattern (a literal, a name bound to one, a concatenation; with the flags passed and inline), translates it to JavaScript syntax as Python parses it, ' +
        'and, when it repeats a subpattern that can itself vary, asks two ReDoS checkers: scslre (fast) for an exponential blow-up, then recheck to confirm it and give an attack string ' +
        '(within `timeout_ms`; past it, scslre\'s verdict alone). Polynomial (quadratic, cubic) backtracking is not reported. The pattern is analysed anchored at its start: the extra factor of `re.search` retrying at ' +
        'each position, which every unanchored pattern has, is not reported. Patterns it cannot translate (conditional groups, `\\N{...}`) are skipped. ' +
        'Known gap: scslre looks for runs of one repeated character, so a blow-up that needs a longer pump (`(ab|a|b)*c`) is missed.',
      bad: "EMAIL = re.compile(r'^([a-zA-Z0-9]+[._-]?)+@example\\.com$')\nre.match(r'^(\\w+\\s?)*$', comment)",
      good: "EMAIL = re.compile(r'^[a-zA-Z0-9]+(?:[._-][a-zA-Z0-9]+)*@example\\.com$')\nre.match(r'^(?:\\w+\\s?)*+$', comment)  # possessive, Python 3.11+",
      fix:
        'Rewrite the pattern so each character can be matched in only one way (no nested quantifiers over overlapping text), make the inner part atomic ' +
        '(`(?>...)`, `a++`, Python 3.11+), or bound the length of the input before matching.',
      references: [
        'https://cwe.mitre.org/data/definitions/1333.html',
        'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS',
        'https://makenowjust-labs.github.io/recheck/',
        'https://docs.python.org/3/library/re.html#regular-expression-syntax',
      ],
    },
  },
  callNames: Object.keys(FLAGS_AT),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const fn = patternFunction(call.qname);
      if (!fn) return;
      const pattern = argument(call, 'pattern', 0);
      const literal = pattern && patternLiteral(ctx, pattern);
      if (!pattern || !literal) return;
      let flags = 0;
      const flagsArg = argument(call, 'flags', FLAGS_AT[fn]);
      if (flagsArg) {
        const value = flagsValue(ctx, flagsArg);
        if (value === undefined) return; // unknown flags may change the pattern's meaning (VERBOSE): stay quiet
        flags = value;
      } else if (call.hasStarArgs || call.hasUnknownKwargs) return;
      // Analysed anchored at the start: the extra factor of search() trying each start position is in every
      // unanchored pattern, and is not what this rule is about.
      const mode: MatchMode = fn === 'fullmatch' ? 'fullmatch' : 'match';
      const t = translatePythonRegex(literal.value, { flags, bytes: literal.isBytes, mode });
      // Without a repetition of a subpattern that can itself vary, no backtracking blow-up is possible: skip the checker.
      if (!t.ok || !t.nestedRepetition) return;
      const timeout = typeof ctx.options.timeout_ms === 'number' ? ctx.options.timeout_ms : DEFAULT_TIMEOUT_MS;
      const verdict = checkRedos(t.source, t.flags, timeout);
      if (!verdict.vulnerable) return;
      const parts = [...new Set(verdict.hotspots.map((h) => t.pythonSpan(h.start, h.end)).map((s) => literal.value.slice(s.start, s.end)).filter(Boolean))];
      const where = parts.length ? ` in \`${parts.join('`, `')}\`` : '';
      const kind = verdict.complexity === 'exponential' ? 'exponential' : `polynomial (degree ${verdict.degree ?? 2})`;
      const times = verdict.complexity === 'exponential' ? 30 : 10000;
      const attack = !verdict.attack
        ? ''
        : verdict.by === 'recheck'
          ? `; e.g. ${pythonAttack(verdict.attack, times)} makes ${fn}() backtrack`
          : `; e.g. ${pythonAttack(verdict.attack, times)} followed by a character that makes the match fail`;
      ctx.report(pattern.node, {
        message:
          `Regex can backtrack catastrophically (${kind})${where}${attack}. ` +
          'Rewrite it without nested quantifiers over overlapping text, make the inner part atomic ((?>...), a++; Python 3.11+), or bound the input length.',
      });
    },
  },
});
