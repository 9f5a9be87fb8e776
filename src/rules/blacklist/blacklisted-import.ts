/**
 * Factory for Bandit's blacklisted imports (B4xx): `import m`, `import m.sub as x`, `from m import y`,
 * `from m import *`, and `__import__("m")` / `importlib.import_module("m")` with a constant name.
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type Rule, type RuleContext, type RuleMeta } from '../rule.js';

export interface BlacklistedImportSpec {
  meta: RuleMeta;
  /** Dotted names: a module (matching it and its submodules) or a module member (`wsgiref.handlers.CGIHandler`). */
  modules: readonly string[];
  /** The finding's message for the imported names that matched. */
  message: (names: string[]) => string;
}

const IMPORT_FUNCTIONS = new Set(['__import__', 'builtins.__import__', 'importlib.import_module', 'importlib.__import__']);
const TYPE_CHECKING = new Set(['TYPE_CHECKING', 'typing.TYPE_CHECKING', 'typing_extensions.TYPE_CHECKING']);

/** `name` is a listed entry or inside one, on dotted-name boundaries (`picklez` is not `pickle`). */
function matches(name: string, modules: readonly string[]): boolean {
  for (const m of modules) if (name === m || (name.startsWith(m) && name[m.length] === '.')) return true;
  return false;
}

function dotted(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** Imported dotted names of an `import` / `from ... import` statement; none for relative imports. */
function importedNames(node: Node): string[] {
  const itemName = (item: Node): string | undefined =>
    item.type === 'dotted_name' ? dotted(item) : item.type === 'aliased_import' ? dotted(item.childForFieldName('name') ?? item) : undefined;
  if (node.type === 'import_statement') {
    return node.namedChildren.flatMap((item) => (item ? (itemName(item) ?? []) : []));
  }
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') return []; // `from . import x` is the project's own code
  const module = dotted(moduleNode);
  const names: string[] = [];
  for (const item of node.namedChildren) {
    if (!item || item.equals(moduleNode)) continue;
    if (item.type === 'wildcard_import') names.push(module);
    else {
      const n = itemName(item);
      if (n) names.push(`${module}.${n}`);
    }
  }
  return names;
}

/** The B4xx rules all visit the same statement one after another: its names are worked out once. */
let lastStatement: Node | undefined;
let lastNames: string[] = [];
function namesOf(node: Node): string[] {
  if (node !== lastStatement) {
    lastNames = importedNames(node);
    lastStatement = node;
  }
  return lastNames;
}

/** Inside the body of `if TYPE_CHECKING:`: never executed at run time. */
function typeCheckingOnly(node: Node, ctx: RuleContext): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    const parent = n.parent;
    if (n.type !== 'block' || parent?.type !== 'if_statement' || !parent.childForFieldName('consequence')?.equals(n)) continue;
    const condition = parent.childForFieldName('condition');
    const q = condition ? ctx.qname(condition) : undefined;
    if (q !== undefined && TYPE_CHECKING.has(q)) return true;
  }
  return false;
}

export function blacklistedImport(spec: BlacklistedImportSpec): Rule {
  const statement = (node: Node, ctx: RuleContext) => {
    let hit: string[] | undefined;
    for (const name of namesOf(node)) if (matches(name, spec.modules)) (hit ??= []).push(name);
    if (hit && !typeCheckingOnly(node, ctx)) ctx.report(node, { message: spec.message(hit) });
  };
  return defineRule({
    meta: spec.meta,
    // Bandit also applies its import list to calls: `wsgiref.handlers.CGIHandler()` is B412 however imported.
    callNames: [...lastSegments(IMPORT_FUNCTIONS), ...lastSegments(spec.modules)],
    visit: {
      import_statement: statement,
      import_from_statement: statement,
      call(node, ctx) {
        const call = ctx.call(node);
        if (call.qname === undefined) return;
        if (spec.modules.includes(call.qname)) {
          if (!typeCheckingOnly(node, ctx)) ctx.report(node, { message: spec.message([call.qname]) });
          return;
        }
        if (!IMPORT_FUNCTIONS.has(call.qname)) return;
        const arg = call.positional[0] ?? call.keywords.get('name');
        const name = arg ? ctx.constant(arg) : undefined;
        if (typeof name !== 'string' || name.startsWith('.') || !matches(name, spec.modules)) return;
        if (!typeCheckingOnly(node, ctx)) ctx.report(node, { message: spec.message([name]) });
      },
    },
  });
}
