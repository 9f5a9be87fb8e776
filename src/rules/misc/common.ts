/** Questions several misc rules ask about where a literal sits and what a name looks like. */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Binding, Scope } from '../../python/scopes.js';
import type { StringLiteral } from '../../python/strings.js';
import type { RuleContext } from '../rule.js';

/**
 * Bandit's password-like names: a word (pass, passwd, password, passphrase, pwd, token, secret, secrete)
 * that is the whole name or one of its `_`-delimited parts, case-insensitively.
 */
const WORDS = '(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)';
const CANDIDATE = new RegExp(`(^${WORDS}$|_${WORDS}_|^${WORDS}_|_${WORDS}$)`, 'i');

export function looksLikePassword(name: string): boolean {
  return CANDIDATE.test(name);
}

/** The name a target is known by: `password`, `self.password` -> `password`, `d["password"]` -> `password`. */
export function targetName(node: Node, keyText: (n: Node) => string | undefined): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      return key ? keyText(key) : undefined;
    }
    default:
      return undefined;
  }
}

/** A string (or adjacent strings) that is a whole statement: a docstring or a no-op, never a value used. */
export function isBareStatement(node: Node): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1;
}

/**
 * The literal is only compared against (`host == "0.0.0.0"`, `path in ("/tmp", ...)`) or passed to
 * `str.startswith`/`endswith`: code checking for the value, not using it.
 */
export function isOnlyCompared(node: Node): boolean {
  let n: Node = node;
  let p = n.parent;
  while (p && (p.type === 'tuple' || p.type === 'list' || p.type === 'set' || p.type === 'parenthesized_expression')) {
    n = p;
    p = n.parent;
  }
  if (!p) return false;
  if (p.type === 'comparison_operator') return true;
  if (p.type === 'argument_list') {
    const fn = p.parent?.childForFieldName('function');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    return name === 'startswith' || name === 'endswith';
  }
  return false;
}

/** String literal nodes worth one visit each: adjacent literals are one value, visited as the whole. */
export function isWholeLiteral(node: Node): boolean {
  return !(node.type === 'string' && node.parent?.type === 'concatenated_string');
}

/**
 * A hard-coded secret value: a non-empty string literal, or a name bound to one whose own name does not look
 * like a password (that binding is reported where it is made). Empty strings are "no password", not one.
 */
export function secretLiteral(ctx: RuleContext, node: Node): StringLiteral | undefined {
  if (node.type === 'identifier' && looksLikePassword(node.text)) return undefined;
  if (node.type !== 'identifier' && node.type !== 'string' && node.type !== 'concatenated_string') return undefined;
  const s = ctx.string(node);
  return s && !s.dynamic && s.value !== '' ? s : undefined;
}

/** `password`, `self.password`, `config["password"]`: the target when it looks like a password. */
export function passwordTarget(ctx: RuleContext, node: Node): string | undefined {
  const name = targetName(node, (key) => {
    const s = ctx.string(key);
    return s && !s.dynamic ? s.value : undefined;
  });
  return name !== undefined && looksLikePassword(name) ? name : undefined;
}

export const PASSWORD_REFERENCES = ['https://cwe.mitre.org/data/definitions/259.html', 'https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password'];

export const PASSWORD_FIX = 'Read the secret at run time from the environment or a secrets manager (os.environ["DB_PASSWORD"], a vault client) and rotate the one that was committed.';

const BROAD_EXCEPTIONS = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

/** The exception types an `except` clause names (`except (A, B) as e:` -> A, B); empty for a bare `except:`. */
function exceptTypes(clause: Node): Node[] {
  let value = clause.childForFieldName('value');
  if (value?.type === 'as_pattern') value = value.namedChildren[0];
  while (value?.type === 'parenthesized_expression') value = value.namedChildren[0];
  if (!value) return [];
  return value.type === 'tuple' ? value.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [value];
}

/**
 * An `except` clause whose whole body is one `statementType` (`pass_statement`, `continue_statement`; `...`
 * counts as `pass`), and which catches broadly: bare, `Exception`/`BaseException` (also in a tuple), or any
 * type when `checkTyped` is set.
 */
export function isSwallowingExcept(clause: Node, ctx: RuleContext, statementType: string, checkTyped: boolean): boolean {
  const block = clause.namedChildren.find((c) => c?.type === 'block');
  const body = block?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  if (body.length !== 1) return false;
  const stmt = body[0];
  const matches =
    stmt.type === statementType ||
    (statementType === 'pass_statement' && stmt.type === 'expression_statement' && stmt.namedChildCount === 1 && stmt.namedChildren[0]?.type === 'ellipsis');
  if (!matches) return false;
  if (checkTyped) return true;
  const types = exceptTypes(clause);
  return types.length === 0 || types.some((t) => BROAD_EXCEPTIONS.has(ctx.qname(t) ?? ''));
}

/** The binding of a name in the current scope chain (latest one), for questions the resolver leaves open. */
function bindingOf(ctx: RuleContext, name: string): Binding | undefined {
  for (let s: Scope | undefined = ctx.scope; s; s = s.parent) {
    const list = s.bindings.get(name);
    if (list) return list[list.length - 1];
  }
  return undefined;
}

/** `Archive()` or `a` bound to `Archive()`, where `Archive` is a class defined in this file. */
export function isLocalClassInstance(ctx: RuleContext, node: Node): boolean {
  let value: Node | undefined = node;
  if (value.type === 'identifier') {
    const b = bindingOf(ctx, value.text);
    value = b?.kind === 'value' ? b.value : undefined;
  }
  const fn = value?.type === 'call' ? value.childForFieldName('function') : undefined;
  return fn?.type === 'identifier' && bindingOf(ctx, fn.text)?.kind === 'class';
}

/** A plain name bound to a `def` or `class` of this file (not an import). */
export function isLocalFunction(ctx: RuleContext, node: Node): boolean {
  const kind = node.type === 'identifier' ? bindingOf(ctx, node.text)?.kind : undefined;
  return kind === 'def' || kind === 'class';
}

/** Top-level module of a qualified name: `zipfile` for `zipfile.ZipFile()`. */
export function rootModule(qname: string): string {
  return qname.split(/[.(]/)[0];
}
