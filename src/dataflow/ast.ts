/**
 * Reading a SyntaxTree by node id, without making node objects: the data-flow interpreter visits most
 * nodes of a file, and a wrapper object (plus child arrays) per node cost more than the analysis itself.
 */
import type { SyntaxNode, SyntaxTree } from '../python/syntax-tree.js';

export const NONE = -1;

export class Ast {
  readonly typeNames: readonly string[];
  readonly typeNamed: readonly boolean[];
  readonly fieldNames: readonly (string | null)[];
  readonly typeId: Uint16Array;
  readonly fieldId: Uint16Array;
  readonly first: Int32Array;
  readonly next: Int32Array;
  readonly parentOf: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly source: string;

  constructor(readonly tree: SyntaxTree) {
    this.typeNames = tree.typeNames;
    this.typeNamed = tree.typeNamed;
    this.fieldNames = tree.fieldNames;
    this.typeId = tree.typeId;
    this.fieldId = tree.fieldId;
    this.first = tree.firstChild;
    this.next = tree.nextSibling;
    this.parentOf = tree.parent;
    this.start = tree.start;
    this.end = tree.end;
    this.source = tree.source;
  }

  type(id: number): string {
    return this.typeNames[this.typeId[id]];
  }

  named(id: number): boolean {
    return this.typeNamed[this.typeId[id]];
  }

  text(id: number): string {
    return this.source.slice(this.start[id], this.end[id]);
  }

  /** The first child with this field name, or NONE. */
  field(id: number, name: string): number {
    for (let c = this.first[id]; c !== NONE; c = this.next[c]) if (this.fieldNames[this.fieldId[c]] === name) return c;
    return NONE;
  }

  /** Named children (comments excluded), as ids. */
  namedKids(id: number): number[] {
    const out: number[] = [];
    for (let c = this.first[id]; c !== NONE; c = this.next[c]) if (this.typeNamed[this.typeId[c]] && this.typeNames[this.typeId[c]] !== 'comment') out.push(c);
    return out;
  }

  /** The first named child that is not a comment, or NONE. */
  firstNamed(id: number): number {
    for (let c = this.first[id]; c !== NONE; c = this.next[c]) if (this.typeNamed[this.typeId[c]] && this.typeNames[this.typeId[c]] !== 'comment') return c;
    return NONE;
  }

  /** The first child of a type, or NONE. */
  childOfType(id: number, type: string): number {
    for (let c = this.first[id]; c !== NONE; c = this.next[c]) if (this.typeNames[this.typeId[c]] === type) return c;
    return NONE;
  }

  node(id: number): SyntaxNode {
    return this.tree.node(id)!;
  }

  parent(id: number): number {
    return this.parentOf[id];
  }
}
