/**
 * Python scopes and the names bound in them (imports, assignments, definitions, parameters), collected
 * in one walk. This is what lets a rule know that `sp.Popen` is `subprocess.Popen` and that a
 * local `def eval(...)` is not the built-in.
 */
import type { SyntaxNode as Node, SyntaxTree } from './syntax-tree.js';

export type BindingKind = 'import' | 'value' | 'augment' | 'def' | 'class' | 'param' | 'other';

export interface Binding {
  kind: BindingKind;
  /** For imports: the qualified name bound (`subprocess`, `os.path.join`). */
  qname?: string;
  /** For `name = <expr>` (also parameters with a default): the expression. */
  value?: Node;
  /** Start offset of the binding statement: used to pick the binding in force at a use. */
  pos: number;
  scope: Scope;
}

export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  /** Modules star-imported here (`from m import *`). */
  readonly starImports: string[] = [];
  globals?: Set<string>;
  /** Methods: the name of the instance parameter (`self`). */
  selfName?: string;
  /** Classes: `self.<attr> = value` assignments made in any method, by attribute name. */
  readonly instanceAttributes = new Map<string, Binding[]>();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    readonly start: number,
  ) {}

  bind(name: string, binding: Omit<Binding, 'scope'>): void {
    let target: Scope = this;
    if (this.globals?.has(name)) {
      while (target.parent) target = target.parent;
    }
    const list = target.bindings.get(name);
    const b = binding as Binding;
    b.scope = target;
    if (list) list.push(b);
    else target.bindings.set(name, [b]);
  }
}

export const SCOPE_NODE_TYPES: Readonly<Record<string, ScopeKind>> = {
  function_definition: 'function',
  lambda: 'function',
  class_definition: 'class',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

export interface FileModel {
  module: Scope;
  /** Scope created by a node, keyed by the node's id. */
  scopes: Map<number, Scope>;
  /** 0-based line -> comment text, for lines that carry a comment. */
  comments: Map<number, string>;
  /** Every module imported anywhere in the file (`import a.b` records `a.b`; `from a import b` records `a` and `a.b`). */
  importedModules: Set<string>;
  /** The first syntax errors tree-sitter recovered from (0-based positions). */
  syntaxErrors: { row: number; column: number; message: string }[];
  maxDepth: number;
}

/** Node types the scope model reads; the tree copy must list them in `ordered`. */
export const MODEL_NODE_TYPES: ReadonlySet<string> = new Set([
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern',
  'named_expression',
  'global_statement',
  'nonlocal_statement',
  'comment',
  'ERROR',
  'function_definition',
  'class_definition',
  'lambda',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

function dottedText(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

const SEQUENCE_VALUES = new Set(['tuple', 'list', 'expression_list', 'parenthesized_expression']);

/** Names bound by an assignment target; `value` only when the target is a plain name. */
function bindTargets(scope: Scope, target: Node, pos: number, value: Node | undefined): void {
  switch (target.type) {
    case 'identifier':
      scope.bind(target.text, value ? { kind: 'value', value, pos } : { kind: 'other', pos });
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
    case 'as_pattern_target': {
      // `a, b = "x", f()`: each name gets its own value when the right side is a literal sequence of the same
      // length without `*`; otherwise the names are bound to something unknown.
      const targets = target.namedChildren.filter((c) => c.type !== 'comment');
      const values = value && SEQUENCE_VALUES.has(value.type) ? value.namedChildren.filter((c) => c.type !== 'comment') : [];
      const pairwise = target.type !== 'parenthesized_expression' && values.length === targets.length && !targets.some((t) => t.type === 'list_splat_pattern') && !values.some((v) => v.type === 'list_splat');
      targets.forEach((child, i) => bindTargets(scope, child, pos, pairwise ? values[i] : target.type === 'parenthesized_expression' ? value : undefined));
      return;
    }
    default:
      return; // attribute / subscript targets bind no name
  }
}

function firstParameterName(fn: Node): string | undefined {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  if (decorated?.namedChildren.some((d) => d?.type === 'decorator' && /staticmethod|classmethod/.test(d.text))) return undefined;
  const first = fn.childForFieldName('parameters')?.namedChildren[0];
  if (first?.type === 'identifier') return first.text;
  if (first?.type === 'typed_parameter') return first.namedChildren.find((c) => c?.type === 'identifier')?.text;
  return undefined;
}

/** `self.session = requests.Session()` in a method: remembered on the class, so `self.session.get` resolves. */
function bindInstanceAttribute(scope: Scope, target: Node, value: Node, pos: number): void {
  const object = target.childForFieldName('object');
  const attr = target.childForFieldName('attribute');
  if (object?.type !== 'identifier' || !attr || !scope.selfName || object.text !== scope.selfName) return;
  const cls = scope.parent;
  if (cls?.kind !== 'class') return;
  const list = cls.instanceAttributes.get(attr.text);
  const binding: Binding = { kind: 'value', value, pos, scope };
  if (list) list.push(binding);
  else cls.instanceAttributes.set(attr.text, [binding]);
}

function bindParameters(scope: Scope, params: Node | null): void {
  if (!params) return;
  for (const p of params.namedChildren) {
    if (!p) continue;
    const pos = p.startIndex;
    switch (p.type) {
      case 'identifier':
        scope.bind(p.text, { kind: 'param', pos });
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = p.childForFieldName('name');
        if (name) scope.bind(name.text, { kind: 'param', pos, value: p.childForFieldName('value') ?? undefined });
        break;
      }
      case 'typed_parameter':
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const id = p.namedChildren.find((c) => c?.type === 'identifier');
        if (id) scope.bind(id.text, { kind: 'param', pos });
        else {
          const inner = p.namedChildren[0];
          const innerId = inner?.namedChildren.find((c) => c?.type === 'identifier');
          if (innerId) scope.bind(innerId.text, { kind: 'param', pos });
        }
        break;
      }
      default:
        break;
    }
  }
}

function recordImport(model: FileModel, scope: Scope, node: Node): void {
  const pos = node.endIndex;
  if (node.type === 'import_statement') {
    for (const item of node.namedChildren) {
      if (!item) continue;
      if (item.type === 'dotted_name') {
        const full = dottedText(item);
        model.importedModules.add(full);
        scope.bind(full.split('.')[0], { kind: 'import', qname: full.split('.')[0], pos });
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name');
        const alias = item.childForFieldName('alias');
        if (name && alias) {
          model.importedModules.add(dottedText(name));
          scope.bind(alias.text, { kind: 'import', qname: dottedText(name), pos });
        }
      }
    }
    return;
  }
  // import_from_statement
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return;
  const module = dottedText(moduleNode);
  model.importedModules.add(module);
  // `from . import x` -> `.x`, `from .pkg import x` -> `.pkg.x`
  const join = (name: string) => (module.endsWith('.') ? `${module}${name}` : `${module}.${name}`);
  for (const item of node.namedChildren) {
    if (!item || item.equals(moduleNode)) continue;
    if (item.type === 'wildcard_import') {
      scope.starImports.push(module);
    } else if (item.type === 'dotted_name') {
      const name = dottedText(item);
      model.importedModules.add(join(name));
      scope.bind(name.split('.')[0], { kind: 'import', qname: join(name), pos });
    } else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name');
      const alias = item.childForFieldName('alias');
      if (name && alias) {
        model.importedModules.add(join(dottedText(name)));
        scope.bind(alias.text, { kind: 'import', qname: join(dottedText(name)), pos });
      }
    }
  }
}

function describeError(node: Node): string {
  if (node.isMissing) return `expected '${node.type}'`;
  const text = node.text.split('\n')[0].slice(0, 40);
  return text ? `invalid syntax near '${text}'` : 'invalid syntax';
}

/** Depth-first walk over a SyntaxTree without recursion (trees can be deep). */
export function walkTree(root: Node, enter: (node: Node, depth: number) => void, leave: (node: Node, depth: number) => void): void {
  const nodes: Node[] = [root];
  const next: number[] = [0];
  enter(root, 0);
  while (nodes.length) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const i = next[top];
    if (i < node.children.length) {
      next[top] = i + 1;
      const child = node.children[i];
      enter(child, top + 1);
      nodes.push(child);
      next.push(0);
    } else {
      leave(node, top);
      nodes.pop();
      next.pop();
    }
  }
}

export function buildFileModel(tree: SyntaxTree): FileModel {
  const module = new Scope('module', undefined, 0);
  const model: FileModel = {
    module,
    scopes: new Map([[tree.root.id, module]]),
    comments: new Map(),
    importedModules: new Set(),
    syntaxErrors: [],
    maxDepth: 0,
  };
  // `tree.orderedIds` lists the MODEL_NODE_TYPES nodes in document order; a scope ends where its node ends.
  const stack: { end: number; scope: Scope }[] = [{ end: Infinity, scope: module }];
  const current = () => stack[stack.length - 1].scope;

  model.maxDepth = tree.maxDepth;
  for (const m of tree.missing) {
    const p = m.startPosition;
    model.syntaxErrors.push({ row: p.row, column: p.column, message: `missing '${m.type}'` });
  }
  const ids = tree.orderedIds;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    while (stack.length > 1 && tree.start[id] >= stack[stack.length - 1].end) stack.pop();
    {
      const type = tree.typeOf(id);
      if (!MODEL_NODE_TYPES.has(type)) continue;
      if (type === 'comment') {
        model.comments.set(tree.position(tree.start[id]).row, tree.source.slice(tree.start[id], tree.end[id]));
        continue;
      }
      const node = tree.node(id)!;
      const scope = current();
      // A binding takes effect after its statement: in `x = x.y` the right-hand `x` is the earlier one.
      const pos = node.endIndex;
      switch (type) {
        case 'ERROR':
          if (model.syntaxErrors.length < 20) {
            model.syntaxErrors.push({ row: node.startPosition.row, column: node.startPosition.column, message: describeError(node) });
          }
          continue;
        case 'import_statement':
        case 'import_from_statement':
          recordImport(model, scope, node);
          continue;
        case 'function_definition':
        case 'class_definition':
        case 'lambda': {
          const name = node.childForFieldName('name');
          if (name) scope.bind(name.text, { kind: type === 'class_definition' ? 'class' : 'def', pos });
          const inner = new Scope(SCOPE_NODE_TYPES[type], scope, node.startIndex);
          model.scopes.set(node.id, inner);
          stack.push({ end: node.endIndex, scope: inner });
          bindParameters(inner, node.childForFieldName('parameters'));
          if (type === 'function_definition' && scope.kind === 'class') inner.selfName = firstParameterName(node);
          continue;
        }
        case 'list_comprehension':
        case 'set_comprehension':
        case 'dictionary_comprehension':
        case 'generator_expression': {
          const inner = new Scope('comprehension', scope, node.startIndex);
          model.scopes.set(node.id, inner);
          stack.push({ end: node.endIndex, scope: inner });
          continue;
        }
        case 'assignment': {
          // `a = b = value` nests: the innermost right-hand side is the value of every target
          let value = node.childForFieldName('right');
          while (value?.type === 'assignment') value = value.childForFieldName('right');
          const left = node.childForFieldName('left');
          if (left) bindTargets(scope, left, pos, value ?? undefined);
          if (left?.type === 'attribute' && value) bindInstanceAttribute(scope, left, value, pos);
          continue;
        }
        case 'augmented_assignment': {
          // `x += value`: remembered with its value (taint-style checks need it); names never resolve through it.
          const left = node.childForFieldName('left');
          const value = node.childForFieldName('right') ?? undefined;
          if (left?.type === 'identifier') scope.bind(left.text, { kind: 'augment', pos, ...(value ? { value } : {}) });
          continue;
        }
        case 'for_statement':
        case 'for_in_clause': {
          const left = node.childForFieldName('left');
          if (left) bindTargets(scope, left, left.endIndex, undefined);
          continue;
        }
        case 'as_pattern': {
          const alias = node.childForFieldName('alias');
          // `with requests.Session() as s:` binds s to the context manager (what __enter__ returns for
          // sessions, files, archives, connections), so `s.get(...)` resolves like `requests.Session().get`.
          const target = alias?.namedChildren[0];
          const manager = node.parent?.type === 'with_item' ? node.namedChildren[0] : undefined;
          if (alias && target?.type === 'identifier' && manager && !manager.equals(alias)) {
            scope.bind(target.text, { kind: 'value', value: manager, pos: alias.endIndex });
          } else if (alias) bindTargets(scope, alias, alias.endIndex, undefined);
          continue;
        }
        case 'named_expression': {
          const name = node.childForFieldName('name');
          // PEP 572: a walrus inside a comprehension binds in the enclosing function
          let target = scope;
          while (target.kind === 'comprehension' && target.parent) target = target.parent;
          if (name) target.bind(name.text, { kind: 'value', value: node.childForFieldName('value') ?? undefined, pos });
          continue;
        }
        case 'global_statement':
        case 'nonlocal_statement':
          if (type === 'global_statement') {
            scope.globals ??= new Set();
            for (const id of node.namedChildren) if (id?.type === 'identifier') scope.globals.add(id.text);
          }
          continue;
        default:
          continue;
      }
    }
  }
  model.syntaxErrors.sort((a, b) => a.row - b.row || a.column - b.column);
  model.syntaxErrors.splice(20);
  return model;
}
