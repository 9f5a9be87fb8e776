/**
 * Which functions a framework calls with untrusted data, from the entry-point models: by decorator
 * (`@app.route`), by class base and method name (Django's `View.get`), or by first parameter
 * (`def view(request)` in a module importing Django); and what each of their parameters holds.
 */
import type { Resolver } from '../python/resolve.js';
import type { Scope } from '../python/scopes.js';
import type { SyntaxNode as Node } from '../python/syntax-tree.js';
import type { ModelIndex } from './model-index.js';
import type { EntryPointModel } from './models/types.js';

export interface EntryMatch {
  model: EntryPointModel;
  /** Parameters the route itself converts to numbers or UUIDs (Flask's `<int:id>`): never attacker text. */
  converted: ReadonlySet<string> | undefined;
  /** The function is one the model names (its parameters are sources); false for other methods of an entry class. */
  function: boolean;
}

/** Annotations that make a framework parse and validate a parameter into something with no attacker text. */
const SAFE_ANNOTATIONS = new Set([
  'int', 'float', 'bool', 'complex', 'uuid.UUID', 'UUID', 'datetime.datetime', 'datetime.date', 'datetime.time', 'datetime.timedelta',
  'decimal.Decimal', 'strawberry.ID_int', 'pydantic.PositiveInt', 'pydantic.conint', 'pydantic.NonNegativeInt', 'ipaddress.IPv4Address', 'ipaddress.IPv6Address',
]);

function importsAny(imports: (m: string) => boolean, modules: string[] | undefined): boolean {
  return !modules || modules.some(imports);
}

function decoratorsOf(fn: Node): Node[] {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c) => c.type === 'decorator').map((d) => d.namedChildren[0]).filter((e): e is Node => !!e);
}

function methodMatches(patterns: string[] | undefined, name: string): boolean {
  if (!patterns) return true;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));
}

/**
 * The top-level modules some entry-point model needs a file to import: every model names its framework by
 * qualified names (decorators, class bases, annotations) or `whenImports`, and a qualified name of a
 * framework exists in a file only through an import of it.
 */
function entryRoots(index: ModelIndex): string[] {
  let roots = rootsByIndex.get(index);
  if (!roots) {
    const all = new Set<string>();
    const add = (name: string) => all.add(name.split('.')[0]);
    for (const e of index.entryPoints) {
      for (const n of [...(e.decorators ?? []), ...(e.classBases ?? []), ...(e.whenImports ?? []), ...Object.keys(e.parameters.annotatedObjects ?? {})]) add(n);
    }
    roots = [...all];
    rootsByIndex.set(index, roots);
  }
  return roots;
}
const rootsByIndex = new WeakMap<ModelIndex, string[]>();

export class EntryPoints {
  /** The file imports some framework an entry-point model is about (else no function of it is an entry point). */
  private readonly possible: boolean;

  constructor(
    private readonly index: ModelIndex,
    private readonly resolver: Resolver,
    private readonly imports: (module: string) => boolean,
  ) {
    this.possible = entryRoots(index).some(imports);
  }

  /** Route parameters with a number or UUID converter in the decorators' path strings (`"/items/<int:item_id>"`). */
  private converted(fn: Node, scope: Scope): Set<string> | undefined {
    let out: Set<string> | undefined;
    for (const d of decoratorsOf(fn)) {
      if (d.type !== 'call') continue;
      const first = this.resolver.call(d, scope).positional[0];
      const path = first ? this.resolver.constant(first.node, scope) : undefined;
      if (typeof path !== 'string') continue;
      for (const m of path.matchAll(/<(?:int|float|uuid)(?:\([^)]*\))?:(\w+)>/g)) (out ??= new Set()).add(m[1]);
    }
    return out;
  }

  private byDecorator(fn: Node, scope: Scope): EntryPointModel | undefined {
    for (const d of decoratorsOf(fn)) {
      const callee = d.type === 'call' ? d.childForFieldName('function') : d;
      if (!callee) continue;
      const q = this.resolver.qname(callee, scope);
      if (q !== undefined) {
        const hit = this.index.decorators.get(q) ?? this.index.decorators.get(`${q}()`);
        if (hit && (d.type === 'call' || !hit.decorators?.includes(`${q}()`) || hit.decorators.includes(q))) return hit;
      }
      if (callee.type === 'attribute') {
        const method = callee.childForFieldName('attribute')?.text ?? '';
        for (const e of this.index.entryPoints) {
          if (e.decoratorMethods?.includes(method) && importsAny(this.imports, e.whenImports) && (q === undefined || !q.split('.')[0] || !this.knownNonEntry(q))) return e;
        }
      }
    }
    return undefined;
  }

  /** A decorator resolved to a library that is not a web framework (`functools.lru_cache`, `pytest.mark.get`). */
  private knownNonEntry(q: string): boolean {
    const root = q.split('.')[0];
    return !['flask', 'quart', 'fastapi', 'starlette', 'aiohttp', 'ariadne', 'strawberry', 'click', 'typer'].includes(root) && !/\(\)/.test(q);
  }

  /** Base classes' qualified names (or written names when unresolved). */
  private bases(cls: Node, scope: Scope): string[] {
    const args = cls.childForFieldName('superclasses');
    if (!args) return [];
    return args.namedChildren.filter((b) => b.type === 'identifier' || b.type === 'attribute').map((b) => this.resolver.qname(b, scope) ?? b.text);
  }

  /** Entry models by class node id: a class's bases are resolved once, not once per method. */
  private readonly classModels = new Map<number, EntryPointModel | undefined>();

  private byClass(cls: Node, classOuterScope: Scope): EntryPointModel | undefined {
    if (this.classModels.has(cls.id)) return this.classModels.get(cls.id);
    const model = this.byClassUncached(cls, classOuterScope);
    this.classModels.set(cls.id, model);
    return model;
  }

  private byClassUncached(cls: Node, classOuterScope: Scope): EntryPointModel | undefined {
    const bases = this.bases(cls, classOuterScope);
    if (!bases.length) return undefined;
    for (const e of this.index.entryPoints) {
      if (!e.classBases) continue;
      if (bases.some((b) => e.classBases!.some((p) => (p.endsWith('.') ? b.startsWith(p) : b === p)))) return e;
    }
    // A project base class (`class Search(BaseView)`) in a module that imports Django: a view by its name.
    if (this.imports('django') || this.imports('rest_framework')) {
      if (bases.some((b) => /(View|ViewSet|APIView)$/.test(b.split('.').pop() ?? ''))) return this.index.entryPoints.find((e) => e.classBases?.some((p) => p.startsWith('django.')));
    }
    return undefined;
  }

  /** The entry-point model of a function (or of the class it is a method of). */
  match(fn: Node, fnScope: Scope, outer: Scope, isModuleLevel: boolean): EntryMatch | undefined {
    if (!this.possible) return undefined;
    const byDecorator = this.byDecorator(fn, outer);
    if (byDecorator) {
      const converted = this.converted(fn, outer);
      return { model: byDecorator, function: true, converted };
    }
    const name = fn.childForFieldName('name')?.text ?? '';
    if (outer.kind === 'class') {
      const cls = this.classNode(fn);
      const model = cls && outer.parent ? this.byClass(cls, outer.parent) : undefined;
      if (model) return { model, function: methodMatches(model.methods, name), converted: undefined };
    }
    if (isModuleLevel) {
      const first = this.paramNames(fn)[0];
      for (const e of this.index.entryPoints) {
        if (e.firstParameter && e.firstParameter === first && importsAny(this.imports, e.whenImports) && !name.startsWith('_')) return { model: e, function: true, converted: undefined };
      }
    }
    // A parameter annotated with a request type (Starlette endpoints, aiohttp handlers).
    if (!this.params(fn).some((p) => p.annotation)) return undefined;
    for (const e of this.index.entryPoints) {
      if (e.decorators || e.classBases || e.firstParameter || !e.parameters.annotatedObjects || !importsAny(this.imports, e.whenImports)) continue;
      if (this.annotations(fn, fnScope).some((a) => a !== undefined && e.parameters.annotatedObjects![a] !== undefined)) return { model: e, function: true, converted: undefined };
    }
    return undefined;
  }

  private readonly paramCache = new Map<number, ReturnType<EntryPoints['readParams']>>();

  classNode(fn: Node): Node | undefined {
    let p = fn.parent;
    if (p?.type === 'decorated_definition') p = p.parent;
    if (p?.type === 'block') p = p.parent;
    return p?.type === 'class_definition' ? p : undefined;
  }

  paramNames(fn: Node): string[] {
    return this.params(fn).map((p) => p.name);
  }

  /** The parameters of a function (read once per function). */
  params(fn: Node): ReturnType<EntryPoints['readParams']> {
    let params = this.paramCache.get(fn.id);
    if (!params) this.paramCache.set(fn.id, (params = this.readParams(fn)));
    return params;
  }

  private readParams(fn: Node): { name: string; node: Node; annotation?: Node; default?: Node; kind: 'positional' | 'keyword' | 'args' | 'kwargs' }[] {
    const params = fn.childForFieldName('parameters');
    const out: { name: string; node: Node; annotation?: Node; default?: Node; kind: 'positional' | 'keyword' | 'args' | 'kwargs' }[] = [];
    if (!params) return out;
    let keywordOnly = false;
    for (const p of params.namedChildren) {
      switch (p.type) {
        case 'identifier':
          out.push({ name: p.text, node: p, kind: keywordOnly ? 'keyword' : 'positional' });
          break;
        case 'typed_parameter': {
          const inner = p.namedChildren[0];
          const annotation = p.childForFieldName('type') ?? undefined;
          if (inner?.type === 'identifier') out.push({ name: inner.text, node: inner, annotation, kind: keywordOnly ? 'keyword' : 'positional' });
          else if (inner?.type === 'list_splat_pattern') {
            keywordOnly = true;
            out.push({ name: inner.namedChildren[0]?.text ?? '', node: inner, annotation, kind: 'args' });
          } else if (inner?.type === 'dictionary_splat_pattern') out.push({ name: inner.namedChildren[0]?.text ?? '', node: inner, annotation, kind: 'kwargs' });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          if (name) out.push({ name: name.text, node: name, annotation: p.childForFieldName('type') ?? undefined, default: p.childForFieldName('value') ?? undefined, kind: keywordOnly ? 'keyword' : 'positional' });
          break;
        }
        case 'list_splat_pattern':
          keywordOnly = true;
          out.push({ name: p.namedChildren[0]?.text ?? '', node: p, kind: 'args' });
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: p.namedChildren[0]?.text ?? '', node: p, kind: 'kwargs' });
          break;
        case 'keyword_separator':
          keywordOnly = true;
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** Each parameter's annotation as a qualified name (`starlette.requests.Request`), `Optional[...]`/`Annotated[...]` unwrapped. */
  annotations(fn: Node, scope: Scope): (string | undefined)[] {
    return this.params(fn).map((p) => (p.annotation ? this.annotationName(p.annotation, scope) : undefined));
  }

  annotationName(node: Node, scope: Scope): string | undefined {
    let n: Node | undefined = node.type === 'type' ? node.namedChildren[0] : node;
    // Optional[int], Annotated[int, Path()], list[int] -> the first type argument
    for (let i = 0; i < 3 && n && (n.type === 'subscript' || n.type === 'generic_type'); i++) {
      const head = n.namedChildren[0]?.text ?? '';
      if (!/Optional|Annotated|Union/.test(head)) return undefined;
      n = n.type === 'subscript' ? (n.childForFieldName('subscript') ?? undefined) : n.namedChildren[1]?.namedChildren[0]?.namedChildren[0];
      if (n?.type === 'type') n = n.namedChildren[0];
    }
    if (!n) return undefined;
    if (n.type === 'identifier' && ['int', 'float', 'bool', 'complex', 'str', 'bytes'].includes(n.text)) return n.text;
    if (n.type !== 'identifier' && n.type !== 'attribute') return undefined;
    return this.resolver.qname(n, scope) ?? n.text;
  }

  isSafeAnnotation(name: string | undefined): boolean {
    return name !== undefined && SAFE_ANNOTATIONS.has(name);
  }
}
