/**
 * A plain-JavaScript copy of a tree-sitter tree, made in one cursor walk. Every question rules ask about
 * nodes (type, fields, children, parent, text, positions) is then answered by JS objects instead of calls
 * into WASM, which measured 2x faster over the CPython stdlib, and the WASM tree is freed at once.
 * The API mirrors the subset of web-tree-sitter's `Node` that pyward uses.
 */
import type { Tree } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

export class SyntaxTree {
  /** Offset of the start of each line (rows split on `\n`, as tree-sitter counts them). */
  private readonly lineStarts: number[];
  root!: SyntaxNode;
  /** Deepest nesting of the tree. */
  maxDepth = 0;
  nodeCount = 0;
  /** Nodes whose type was asked for when copying, in document (pre-)order. */
  readonly ordered: SyntaxNode[] = [];
  /** Zero-width nodes that tree-sitter's error recovery inserted (`MISSING ")"`). */
  readonly missing: SyntaxNode[] = [];

  constructor(readonly source: string) {
    const starts = [0];
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  position(index: number): Point {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }
}

/** Shared by every leaf (most nodes), so leaves allocate no array; never mutated. */
const NO_CHILDREN: SyntaxNode[] = [];

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  children: SyntaxNode[] = NO_CHILDREN;
  private named?: SyntaxNode[];

  constructor(
    readonly tree: SyntaxTree,
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly fieldName: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isMissing: boolean,
  ) {}

  get text(): string {
    return this.tree.source.slice(this.startIndex, this.endIndex);
  }
  get startPosition(): Point {
    return this.tree.position(this.startIndex);
  }
  get endPosition(): Point {
    return this.tree.position(this.endIndex);
  }
  get namedChildren(): SyntaxNode[] {
    if (this.children === NO_CHILDREN) return NO_CHILDREN;
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  get childCount(): number {
    return this.children.length;
  }
  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }
  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }
  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }
  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }
  childForFieldName(name: string): SyntaxNode | null {
    for (const c of this.children) if (c.fieldName === name) return c;
    return null;
  }
  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((c) => c.fieldName === name);
  }
  get nextSibling(): SyntaxNode | null {
    const siblings = this.parent?.children;
    return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
  }
  get previousSibling(): SyntaxNode | null {
    const siblings = this.parent?.children;
    return siblings ? (siblings[siblings.indexOf(this) - 1] ?? null) : null;
  }
  equals(other: SyntaxNode | null | undefined): boolean {
    return this === other;
  }
  descendantsOfType(type: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === type) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return out;
  }
}

/** Punctuation no rule looks at: not copied (a quarter of all nodes), so `children` omits them. */
const SKIPPED_TOKENS = new Set([',', '.', ':', ';', '=']);

/**
 * Copy a tree-sitter tree into SyntaxNodes, listing the nodes whose type is in `collect` in `ordered`.
 * Stops copying below `maxDepth` (the tree is then refused).
 */
export function copyTree(tree: Tree, source: string, maxDepth: number, collect: ReadonlySet<string>): SyntaxTree {
  const out = new SyntaxTree(source);
  const language = tree.language;
  const typeNames: string[] = [];
  const typeNamed: boolean[] = [];
  const typeCollected: boolean[] = [];
  const typeSkipped: boolean[] = [];
  const fields = language.fields;
  const cursor = tree.walk();
  let id = 0;
  /** Copies the cursor's node under `parent`; null for a skipped token. */
  const make = (parent: SyntaxNode | null): SyntaxNode | null => {
    const typeId = cursor.nodeTypeId;
    let type = typeNames[typeId];
    if (type === undefined) {
      type = cursor.nodeType;
      typeNames[typeId] = type;
      typeNamed[typeId] = cursor.nodeIsNamed;
      typeCollected[typeId] = collect.has(type);
      typeSkipped[typeId] = !typeNamed[typeId] && SKIPPED_TOKENS.has(type);
    }
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    // Missing nodes (inserted by error recovery) are zero-width; ask WASM only then.
    const missing = start === end && cursor.nodeIsMissing;
    if (typeSkipped[typeId] && parent && !missing) return null;
    const fieldId = cursor.currentFieldId;
    const node = new SyntaxNode(out, id++, type, typeNamed[typeId], fieldId ? (fields[fieldId] ?? null) : null, start, end, missing);
    if (parent) {
      node.parent = parent;
      if (parent.children === NO_CHILDREN) parent.children = [node];
      else parent.children.push(node);
    }
    if (typeCollected[typeId]) out.ordered.push(node);
    if (missing) out.missing.push(node);
    return node;
  };
  try {
    out.root = make(null)!;
    let current: SyntaxNode | null = out.root;
    const parents: SyntaxNode[] = [];
    for (;;) {
      if (parents.length < maxDepth && cursor.gotoFirstChild()) {
        parents.push(current ?? parents[parents.length - 1]);
        if (parents.length > out.maxDepth) out.maxDepth = parents.length;
        current = make(parents[parents.length - 1]);
        continue;
      }
      if (parents.length >= maxDepth) out.maxDepth = maxDepth + 1;
      for (;;) {
        if (parents.length === 0) {
          out.nodeCount = id;
          return out;
        }
        if (cursor.gotoNextSibling()) {
          current = make(parents[parents.length - 1]);
          break;
        }
        cursor.gotoParent();
        current = parents.pop()!;
      }
    }
  } finally {
    cursor.delete();
  }
}
