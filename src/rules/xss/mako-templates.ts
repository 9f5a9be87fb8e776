import { defineRule } from '../rule.js';
import { lastSegments } from '../call-names.js';

const CALLS = new Set(['mako.template.Template', 'mako.lookup.TemplateLookup']);
/** Mako filters that HTML/XML-escape every expression when set as default_filters. */
const ESCAPING_FILTERS = new Set(['h', 'x']);

export const useOfMakoTemplates = defineRule({
  meta: {
    id: 'B702',
    name: 'use_of_mako_templates',
    severity: 'medium',
    confidence: 'high',
    cwe: 80,
    doc: {
      summary: 'Mako template without default HTML escaping: every ${expression} is rendered raw',
      why: 'Mako has no environment-wide autoescape: unless a filter is applied, ${value} is inserted into the HTML unescaped. Any user-controlled value rendered this way lets an attacker inject scripts into the page.',
      bad: 'Template(filename="page.html").render(name=name)',
      good: 'Template(filename="page.html", default_filters=["h"]).render(name=name)\n# or escape each expression in the template: ${ name | h }',
      fix: 'Pass default_filters=["h"] to Template/TemplateLookup, or escape every expression with the |h filter.',
      references: [
        'https://docs.makotemplates.org/en/latest/filtering.html',
        'https://owasp.org/www-community/attacks/xss/',
        'https://cwe.mitre.org/data/definitions/80.html',
      ],
      banditDifferences:
        'Names are resolved (a non-mako class named Template is not flagged). Also flags mako.lookup.TemplateLookup, which creates templates the same way. ' +
        'Not flagged when default_filters (a constant list, possibly through a variable) contains the escaping filter "h" or "x", since every expression is then escaped.',
    },
  },
  callNames: lastSegments(CALLS),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !CALLS.has(call.qname)) return;
      const filters = call.keywords.get('default_filters');
      const value = filters && ctx.constant(filters);
      if (Array.isArray(value) && value.some((f) => typeof f === 'string' && ESCAPING_FILTERS.has(f))) return;
      if (!filters && call.hasUnknownKwargs) return;
      ctx.report(node, {
        message: "Mako templates render ${expressions} unescaped and are open to XSS; pass default_filters=['h'] or escape each expression with |h",
      });
    },
  },
});
