import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Fix } from '../../engine/types.js';
import { argument } from '../arguments.js';
import { nodeRange } from '../fixes.js';
import { defineRule } from '../rule.js';

/** Loaders that build only plain data (strings, numbers, lists, dicts). */
const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
/** Functions that take a Loader (keyword `Loader`, position 1), and their safe counterpart. */
const WITH_LOADER: Record<string, string> = { load: 'safe_load', load_all: 'safe_load_all' };
/** Functions that always use an unsafe loader. */
const ALWAYS_UNSAFE = new Set(['unsafe_load', 'unsafe_load_all', 'full_load', 'full_load_all']);
const MODULES = ['yaml', 'ruamel.yaml'];

function yamlFunction(qname: string | undefined): string | undefined {
  if (!qname) return undefined;
  for (const m of MODULES) {
    if (!qname.startsWith(`${m}.`)) continue;
    const name = qname.slice(m.length + 1);
    if (Object.hasOwn(WITH_LOADER, name) || ALWAYS_UNSAFE.has(name)) return name;
  }
  return undefined;
}

/** `yaml.load(x)` -> `yaml.safe_load(x)`, editing only the attribute name (a bare `load` may have no `safe_load` imported). */
function renameFix(func: Node, to: string): Fix {
  const description = `Use yaml.${to}(), which only builds plain Python data.`;
  const attr = func.type === 'attribute' ? func.childForFieldName('attribute') : null;
  if (!attr) return { description };
  return { description, edit: { range: nodeRange(attr), text: to } };
}

export const yamlLoad = defineRule({
  meta: {
    id: 'B506',
    name: 'yaml_load',
    severity: 'medium',
    confidence: 'high',
    cwe: 20,
    doc: {
      summary: 'yaml.load with an unsafe loader: a YAML document can create arbitrary Python objects',
      why: 'PyYAML\'s Loader/UnsafeLoader (and, through known gadgets, FullLoader) turn tags like `!!python/object/apply:os.system` into function calls. Anyone who controls the YAML (an upload, a config file in a repository, an API body) can run code in the process.',
      bad: 'config = yaml.load(request.data, Loader=yaml.Loader)\nitems = yaml.unsafe_load(stream)',
      good: 'config = yaml.safe_load(request.data)\nconfig = yaml.load(stream, Loader=yaml.CSafeLoader)',
      fix: 'Use yaml.safe_load() / yaml.safe_load_all(), or pass Loader=yaml.SafeLoader (CSafeLoader).',
      references: [
        'https://pyyaml.org/wiki/PyYAMLDocumentation#loading-yaml',
        'https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation',
        'https://cwe.mitre.org/data/definitions/20.html',
      ],
      banditDifferences:
        'Also flags `yaml.load_all`, `yaml.unsafe_load(_all)` and `yaml.full_load(_all)`, and resolves the Loader by qualified name, so `from yaml import CSafeLoader as L` is safe and ' +
        '`Loader=yaml.UnsafeLoader` is flagged. BaseLoader/CBaseLoader (strings only) count as safe. A Loader pyward cannot resolve (a parameter, a local subclass) is reported with MEDIUM confidence. ' +
        'A local function named `load` is not flagged. `yaml.load(x)` without a Loader gets a fix renaming it to `yaml.safe_load(x)`.',
    },
  },
  callNames: [...Object.keys(WITH_LOADER), ...ALWAYS_UNSAFE],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const fn = yamlFunction(call.qname);
      if (!fn) return;
      if (ALWAYS_UNSAFE.has(fn)) {
        const safeName = `safe_load${fn.endsWith('_all') ? '_all' : ''}`;
        ctx.report(node, {
          message: `yaml.${fn}() can instantiate arbitrary Python objects; use yaml.${safeName}()`,
          fix: renameFix(call.func, safeName),
        });
        return;
      }
      const safe = WITH_LOADER[fn];
      const loader = argument(call, 'Loader', 1);
      if (!loader) {
        if (call.hasUnknownKwargs || call.hasStarArgs) return;
        ctx.report(node, { message: `Use of unsafe yaml.${fn}() without a Loader; use yaml.${safe}()`, fix: renameFix(call.func, safe) });
        return;
      }
      const q = ctx.qname(loader.node);
      const name = q?.split('.').pop();
      if (name && SAFE_LOADERS.has(name)) return;
      // `Loader=yaml.Loader` written as an attribute of the module: its SafeLoader (a C loader keeps C speed)
      const attribute = loader.node.type === 'attribute' ? loader.node.childForFieldName('attribute') : null;
      const safeLoader = name?.startsWith('C') ? 'CSafeLoader' : 'SafeLoader';
      const description = `Use yaml.${safe}() or pass Loader=yaml.SafeLoader.`;
      ctx.report(node, {
        confidence: q ? 'high' : 'medium',
        message: `yaml.${fn}() with ${q ? name : 'a loader that may not be safe'} can instantiate arbitrary Python objects; use yaml.${safe}() or Loader=yaml.SafeLoader`,
        fix: q && attribute && attribute.text === name ? { description, edit: { range: nodeRange(attribute), text: safeLoader } } : { description },
      });
    },
  },
});
