/** Python string literal nodes -> their runtime value (or a template when they interpolate). */
import type { SyntaxNode as Node } from './syntax-tree.js';

export interface StringLiteral {
  /** The value; for f-strings, the text with every `{...}` replaced by `{}`. */
  value: string;
  isBytes: boolean;
  /** True when the literal interpolates expressions (f-string), so `value` is only a template. */
  dynamic: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

export function unescapePython(raw: string, isBytes: boolean): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(N\{[^}]*\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r\n|[\s\S])/g, (all, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (esc === '\r\n') return '';
    const c = esc[0];
    if (c === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (!isBytes && (c === 'u' || c === 'U')) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (c >= '0' && c <= '7') return String.fromCharCode(parseInt(esc, 8));
    return all; // unknown escapes stay as written, as in Python
  });
}

function single(node: Node): StringLiteral | undefined {
  // Read the columns directly: strings are the most numerous nodes rules look at.
  const { tree } = node;
  const first = tree.firstChild[node.id];
  if (first === -1 || tree.typeOf(first) !== 'string_start') return undefined;
  const { source } = tree;
  let prefixEnd = tree.start[first];
  while (prefixEnd < tree.end[first] && source[prefixEnd] !== "'" && source[prefixEnd] !== '"') prefixEnd++;
  const prefix = source.slice(tree.start[first], prefixEnd).toLowerCase();
  const isRaw = prefix.includes('r');
  const isBytes = prefix.includes('b');
  let value = '';
  let dynamic = false;
  for (let c = tree.nextSibling[first]; c !== -1; c = tree.nextSibling[c]) {
    const type = tree.typeOf(c);
    if (type === 'string_content') {
      const text = source.slice(tree.start[c], tree.end[c]);
      value += isRaw ? text : unescapePython(text, isBytes);
    } else if (type === 'interpolation') {
      dynamic = true;
      value += '{}';
    }
  }
  if (prefix.includes('f') || prefix.includes('t')) {
    // f-string braces are doubled in the source
    value = value.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  }
  return { value, isBytes, dynamic };
}

/** `"a"`, `b"x"`, `f"{x}"`, and adjacent literals `"a" "b"`; undefined for anything else. */
export function stringLiteral(node: Node): StringLiteral | undefined {
  // Several rules ask for the same literal: computed once per node (callers only read the result).
  if (node.literal === undefined) node.literal = literal(node) ?? null;
  return node.literal ?? undefined;
}

function literal(node: Node): StringLiteral | undefined {
  if (node.type === 'string') return single(node);
  if (node.type === 'concatenated_string') {
    let value = '';
    let dynamic = false;
    let isBytes = false;
    for (const part of node.namedChildren) {
      if (!part || part.type === 'comment') continue; // a comment between the pieces of an implicit concatenation
      const s = part.type === 'string' ? single(part) : undefined;
      if (!s) return undefined;
      value += s.value;
      dynamic ||= s.dynamic;
      isBytes ||= s.isBytes;
    }
    return { value, isBytes, dynamic };
  }
  return undefined;
}
