/** Building blocks for a finding's fix: an edit replaces the text of one node (a suggestion on GitHub). */
import type { Fix, Location } from '../engine/types.js';
import type { SyntaxNode as Node } from '../python/syntax-tree.js';

/** The node's span in report coordinates (1-based lines and columns, end exclusive). */
export function nodeRange(node: Node): Omit<Location, 'path'> {
  return { startLine: node.startPosition.row + 1, startColumn: node.startPosition.column + 1, endLine: node.endPosition.row + 1, endColumn: node.endPosition.column + 1 };
}

/** A fix that replaces `node` with `text`. */
export function replaceNode(node: Node, text: string, description: string): Fix {
  return { description, edit: { range: nodeRange(node), text } };
}
