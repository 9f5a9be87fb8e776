/**
 * The flow models of every table (and the user's, from config) indexed for the analysis: lookups by
 * qualified name and by method name, rules as bit masks.
 */
import { aiohttpModel } from './models/aiohttp.js';
import { builtinsModel } from './models/builtins.js';
import { codeModel } from './models/code.js';
import { commandLineModel } from './models/command-line.js';
import { deserializersModel } from './models/deserializers.js';
import { djangoModel } from './models/django.js';
import { fastapiModel } from './models/fastapi.js';
import { filesModel } from './models/files.js';
import { flaskModel } from './models/flask.js';
import { graphqlModel } from './models/graphql.js';
import { httpClientsModel } from './models/http-clients.js';
import { httpServerModel } from './models/http-server.js';
import { processesModel } from './models/processes.js';
import { regexModel } from './models/regex.js';
import { sqlModel } from './models/sql.js';
import { templatesModel } from './models/templates.js';
import { tornadoModel } from './models/tornado.js';
import type { EntryPointModel, FlowModel, GuardModel, ObjectModel, SinkModel, SourceKind, TaintRuleId } from './models/types.js';
import { ALL_RULES_CLEARED, ruleMask } from './taint.js';

/** Every shipped table, in the order the rules reference lists them. */
export const FLOW_MODELS: readonly FlowModel[] = [
  flaskModel, djangoModel, fastapiModel, aiohttpModel, tornadoModel, httpServerModel, graphqlModel, commandLineModel,
  sqlModel, processesModel, codeModel, filesModel, httpClientsModel, templatesModel, deserializersModel, regexModel, builtinsModel,
];

/** The team's own models (`dataflow:` in the config), already validated. */
export interface UserModels {
  sources: string[];
  sinks: Partial<Record<TaintRuleId, string[]>>;
  sanitizers: { name: string; rules: TaintRuleId[] | 'all' }[];
}

export interface SourceInfo {
  kind: SourceKind;
  description: string;
}

export interface ModelIndex {
  sources: Map<string, SourceInfo>;
  /** Sources by method name, with the modules a file must import for them to apply. */
  sourceMethods: Map<string, SourceInfo & { whenImports: string[] }>;
  objectsByQname: Map<string, string>;
  objects: Map<string, ObjectModel>;
  entryPoints: EntryPointModel[];
  /** Entry points by decorator qualified name. */
  decorators: Map<string, EntryPointModel>;
  sinksByQname: Map<string, SinkModel[]>;
  sinksByMethod: Map<string, SinkModel[]>;
  /** Method sinks on objects of a known type, by `type#method`. */
  sinksByObjectMethod: Map<string, SinkModel[]>;
  sanitizersByQname: Map<string, number>;
  sanitizersByMethod: Map<string, number>;
  guardsByQname: Map<string, GuardModel & { mask: number }>;
  guardsByMethod: Map<string, GuardModel & { mask: number }>;
  passByQname: Set<string>;
  /** Pass-through calls that carry only some arguments (`receiver`, positions, keywords) into their result. */
  passFromByQname: Map<string, readonly (number | string)[]>;
  passFromByMethod: Map<string, readonly (number | string)[]>;
  noReturn: Set<string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `name`, `name:2`, `name:sql` -> the callee and its dangerous argument (the first by default). */
function userSink(rule: TaintRuleId, spec: string): { qname: string; sink: SinkModel } {
  const m = /^(.*?)(?::([A-Za-z_]\w*|\d+))?$/.exec(spec.trim())!;
  const arg = m[2] === undefined ? 0 : /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
  return { qname: m[1], sink: { rule, qnames: [m[1]], args: [arg], description: `\`${m[1]}\` (a sink declared in the configuration)` } };
}

export function buildModelIndex(models: readonly FlowModel[] = FLOW_MODELS, user?: UserModels): ModelIndex {
  const index: ModelIndex = {
    sources: new Map(), sourceMethods: new Map(), objectsByQname: new Map(), objects: new Map(), entryPoints: [], decorators: new Map(),
    sinksByQname: new Map(), sinksByMethod: new Map(), sinksByObjectMethod: new Map(), sanitizersByQname: new Map(), sanitizersByMethod: new Map(),
    guardsByQname: new Map(), guardsByMethod: new Map(), passByQname: new Set(), passFromByQname: new Map(), passFromByMethod: new Map(), noReturn: new Set(),
  };
  for (const model of models) {
    for (const s of model.sources ?? []) {
      for (const q of s.qnames) index.sources.set(q, { kind: s.kind, description: s.description });
      for (const m of s.methods ?? []) index.sourceMethods.set(m, { kind: s.kind, description: s.description, whenImports: s.whenImports ?? [] });
    }
    for (const o of model.objects ?? []) {
      index.objects.set(o.type, o);
      for (const q of o.qnames ?? []) index.objectsByQname.set(q, o.type);
    }
    for (const e of model.entryPoints ?? []) {
      index.entryPoints.push(e);
      for (const d of e.decorators ?? []) index.decorators.set(d, e);
    }
    for (const s of model.sinks ?? []) {
      for (const q of s.qnames ?? []) push(index.sinksByQname, q, s);
      for (const m of s.methods ?? []) push(s.objectType ? index.sinksByObjectMethod : index.sinksByMethod, s.objectType ? `${s.objectType}#${m}` : m, s);
    }
    for (const s of model.sanitizers ?? []) {
      const mask = ruleMask(s.clears);
      for (const q of s.qnames ?? []) index.sanitizersByQname.set(q, (index.sanitizersByQname.get(q) ?? 0) | mask);
      for (const m of s.methods ?? []) index.sanitizersByMethod.set(m, (index.sanitizersByMethod.get(m) ?? 0) | mask);
    }
    for (const g of model.guards ?? []) {
      const entry = { ...g, mask: ruleMask(g.clears) };
      for (const q of g.qnames ?? []) index.guardsByQname.set(q, entry);
      for (const m of g.methods ?? []) index.guardsByMethod.set(m, entry);
    }
    for (const p of model.passThrough ?? []) {
      for (const q of p.qnames ?? []) {
        index.passByQname.add(q);
        if (p.from) index.passFromByQname.set(q, p.from);
      }
      for (const m of p.methods ?? []) if (p.from) index.passFromByMethod.set(m, p.from);
    }
    for (const n of model.noReturn ?? []) for (const q of n.qnames) index.noReturn.add(q);
  }
  if (user) {
    for (const q of user.sources) index.sources.set(q, { kind: 'remote', description: `\`${q}\` (a source declared in the configuration)` });
    for (const [rule, specs] of Object.entries(user.sinks) as [TaintRuleId, string[]][]) {
      for (const spec of specs) {
        const { qname, sink } = userSink(rule, spec);
        push(index.sinksByQname, qname, sink);
      }
    }
    for (const s of user.sanitizers) index.sanitizersByQname.set(s.name, (index.sanitizersByQname.get(s.name) ?? 0) | ruleMask(s.rules));
  }
  return index;
}

let defaultIndex: ModelIndex | undefined;
export function defaultModelIndex(): ModelIndex {
  return (defaultIndex ??= buildModelIndex());
}

export { ALL_RULES_CLEARED };
