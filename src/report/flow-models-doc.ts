/**
 * The data-flow part of a PW1xx rule's reference section, generated from the flow model tables
 * (src/dataflow/models) so the documented sources, sinks and sanitisers are the ones the analysis uses.
 */
import { FLOW_MODELS } from '../dataflow/model-index.js';
import { PARAMETER_EVIDENCE_RULES, RULE_SOURCE_KINDS } from '../dataflow/models/source-kinds.js';
import type { FlowModel, SourceKind, TaintRuleId } from '../dataflow/models/types.js';
import type { Rule } from '../rules/rule.js';
import { inlineCode } from './rules-doc-text.js';

const KIND_NAMES: Record<SourceKind, string> = { remote: 'web requests, GraphQL, sockets', local: 'command line and standard input', environment: 'environment variables' };

function names(list: readonly string[] | undefined, max = 6): string {
  if (!list?.length) return '';
  const shown = list.slice(0, max).map(inlineCode).join(', ');
  return list.length > max ? `${shown}, … (${list.length} in all)` : shown;
}

function clears(rules: readonly TaintRuleId[] | 'all', id: string): boolean {
  return rules === 'all' || rules.includes(id as TaintRuleId);
}

function bullet(model: FlowModel, text: string): string {
  return `- ${text} *(${model.name})*`;
}

export function renderFlowModels(rule: Rule, models: readonly FlowModel[] = FLOW_MODELS): string {
  const id = rule.meta.id as TaintRuleId;
  const kinds = (Object.keys(RULE_SOURCE_KINDS) as SourceKind[]).filter((k) => RULE_SOURCE_KINDS[k].has(id));
  const sources: string[] = [];
  const sinks: string[] = [];
  const sanitizers: string[] = [];
  const guards: string[] = [];
  for (const m of models) {
    for (const s of m.sources ?? []) if (kinds.includes(s.kind)) sources.push(bullet(m, `${s.description}: ${names([...s.qnames, ...(s.methods ?? []).map((x) => `.${x}()`)])}`));
    for (const o of m.objects ?? []) if (kinds.includes(o.kind)) sources.push(bullet(m, o.description));
    for (const e of m.entryPoints ?? []) if (kinds.includes(e.kind)) sources.push(bullet(m, e.description));
    for (const s of m.sinks ?? []) {
      if (s.rule !== id) continue;
      const where = [names(s.qnames), s.methods?.length ? `methods ${names(s.methods)} of ${s.objectType ? `\`${s.objectType}\` objects` : 'any object'}` : ''].filter(Boolean).join('; ');
      const args = s.receiver ? 'the object the method is called on' : s.program ? 'the program name' : `argument${s.args.length === 1 ? '' : 's'} ${s.args.map((a) => (typeof a === 'number' ? `#${a + 1}` : inlineCode(`${a}=`))).join(', ')}`;
      sinks.push(bullet(m, `${s.description}: ${args}${s.when ? ` (when ${s.when.replace(/-/g, ' ')})` : ''}. ${where}`));
    }
    for (const s of m.sanitizers ?? []) if (clears(s.clears, id)) sanitizers.push(bullet(m, `${s.description}: ${names([...(s.qnames ?? []), ...(s.methods ?? []).map((x) => `.${x}()`)])}`));
    for (const g of m.guards ?? []) if (clears(g.clears, id)) guards.push(bullet(m, g.description));
  }
  guards.push('- allow-list membership and equality with constants (`if x in ALLOWED:`, `if x not in ALLOWED: abort(400)` before the use, `if x == "csv":`), `assert x in ALLOWED`');
  guards.push('- anchored regex validators: `re.fullmatch(p, x)`, `re.match(r"^...$", x)`, a compiled pattern\'s `fullmatch`/`match`');
  if (id === 'PW104') guards.push('- path containment on a normalised path: `os.path.realpath(p).startswith(BASE)`, `os.path.commonpath([BASE, p]) == BASE`, `Path(p).resolve().is_relative_to(BASE)`');
  if (id === 'PW105' || id === 'PW108') {
    guards.push('- host checks: `urlparse(url).netloc in ALLOWED_HOSTS` (also `.hostname`), `if urlparse(url).netloc: abort()` (relative URLs only)');
    guards.push(`- a constant start that fixes the host (\`"https://api.example.com/" + path\`${id === 'PW108' ? ', or a local path `"/account/" + name`' : ''}), values passed in \`params=\``);
  }
  const parts = [
    '### Data flow',
    `Reported when data from ${kinds.map((k) => KIND_NAMES[k]).join('; ')} reaches one of the sinks below, through assignments, string building, containers, attributes, loops, comprehensions, returns of project functions (same module or imported) and calls that pass data through, unless a sanitiser or a guard on the way makes it safe for this rule. The finding shows each step of the path.${PARAMETER_EVIDENCE_RULES.has(id) ? ' A public function that builds the dangerous string from its own parameter, and that nothing in the scan calls, is reported with low confidence.' : ''} Teams add their own sources, sinks and sanitisers under \`dataflow:\` in the configuration.`,
    `**Sources**\n\n${sources.join('\n')}`,
    `**Sinks**\n\n${sinks.join('\n')}`,
    ...(sanitizers.length ? [`**Sanitisers** (the result is safe for this rule)\n\n${sanitizers.join('\n')}`] : []),
    `**Guards** (safe on the branch they protect)\n\n${guards.join('\n')}`,
  ];
  if (rule.dataflow?.covers.length) parts.push(`Where Bandit's ${rule.dataflow.covers.map(inlineCode).join(', ')} flag the same call, JSON and SARIF keep both results; reviews and the check-run table show this finding once, naming the Bandit id, and \`# nosec\` with either id silences both.`);
  return parts.join('\n\n');
}
