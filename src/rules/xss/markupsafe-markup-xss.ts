import { lastSegments } from '../call-names.js';
import { defineRule } from '../rule.js';
import { HtmlSafety } from './safe-html.js';

const MARKUP = ['markupsafe.Markup', 'flask.Markup', 'jinja2.Markup'];

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export const markupsafeMarkupXss = defineRule({
  meta: {
    id: 'B704',
    name: 'markupsafe_markup_xss',
    severity: 'medium',
    confidence: 'high',
    cwe: 79,
    options: { extend_markup_names: [], allowed_calls: [] },
    doc: {
      summary: 'markupsafe.Markup() on dynamic content: potential XSS',
      why: 'Markup(x) declares x to be safe HTML and disables escaping for it. If x is built from user input (an f-string, .format(), a variable), an attacker can inject scripts into the page that run in other users\' browsers.',
      bad: 'Markup(f"<p>Hello {user.name}</p>")',
      good: 'Markup("<p>Hello {}</p>").format(user.name)  # Markup.format escapes its arguments\nescape(user.name)',
      fix: 'Keep Markup() for constant strings; interpolate user data through Markup(...).format(...) or markupsafe.escape().',
      references: [
        'https://markupsafe.palletsprojects.com/en/stable/escaping/#markupsafe.Markup',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
      banditDifferences:
        'Names are resolved (`from markupsafe import Markup as M`; a local class named Markup is not flagged) and `jinja2.Markup` is included. ' +
        'As in Bandit, names are not followed (a name bound to a literal is flagged, since it may be rebound); results of escaping functions are not flagged ' +
        '(markupsafe.escape, html.escape, bleach.clean, ...) besides the configured `allowed_calls`. Bandit reads both options from a shared `markupsafe_xss` section; here they are set under B704.',
    },
  },
  callNames: (options) => lastSegments(MARKUP, stringList(options.extend_markup_names)),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      if (!q || !(MARKUP.includes(q) || stringList(ctx.options.extend_markup_names).includes(q))) return;
      const arg = call.positional[0] ?? call.keywords.get('base');
      if (!arg) return;
      const safety = new HtmlSafety(ctx, new Set(stringList(ctx.options.allowed_calls)), 'none');
      if (safety.isSafe(arg.node, arg.scope)) return;
      ctx.report(node, { message: `Potential XSS: ${q}() on dynamic content disables escaping; use Markup("...").format(value) or escape(value)` });
    },
  },
});
