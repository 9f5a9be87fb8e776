import { replaceNode } from '../fixes.js';
import type { Confidence } from '../../engine/types.js';
import { truthy } from '../arguments.js';
import { defineRule } from '../rule.js';
import { lastSegments } from '../call-names.js';

/** Environments whose `autoescape` defaults to False (Bandit: any `jinja2...Environment`). */
const ENVIRONMENTS = new Set(['jinja2.Environment', 'jinja2.environment.Environment', 'jinja2.sandbox.SandboxedEnvironment', 'jinja2.sandbox.ImmutableSandboxedEnvironment']);
/** `jinja2.Template(source)` builds its own environment, with the same default. */
const TEMPLATES = new Set(['jinja2.Template', 'jinja2.environment.Template']);

export const jinja2AutoescapeFalse = defineRule({
  meta: {
    id: 'B701',
    name: 'jinja2_autoescape_false',
    severity: 'high',
    confidence: 'high',
    cwe: 94,
    doc: {
      summary: 'Jinja2 environment without autoescaping: variables are rendered as raw HTML',
      why: 'Jinja2 does not escape variables unless autoescape is on, and it is off by default. Any value rendered into an HTML template (a user name, a comment, a query parameter) can then inject <script> tags that run in visitors\' browsers.',
      bad: 'env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))',
      good: 'env = jinja2.Environment(\n    loader=jinja2.FileSystemLoader("templates"),\n    autoescape=jinja2.select_autoescape(["html", "xml"]),\n)',
      fix: 'Pass autoescape=True or autoescape=select_autoescape() when creating the Environment.',
      references: [
        'https://jinja.palletsprojects.com/en/stable/api/#autoescaping',
        'https://owasp.org/www-community/attacks/xss/',
        'https://cwe.mitre.org/data/definitions/94.html',
      ],
      banditDifferences:
        'Names are resolved (aliases, a local class named Environment is not jinja2\'s). The autoescape value is resolved through constants (`AUTOESCAPE = True`, `**{"autoescape": False}`) ' +
        'and `select_autoescape()` is recognised through aliases and variables. Also checks SandboxedEnvironment and `jinja2.Template(source)` (same default; missing autoescape on Template is MEDIUM confidence). ' +
        'An Environment built from unknown `**kwargs` is not flagged. The finding is on the line where the call starts.',
    },
  },
  callNames: lastSegments(ENVIRONMENTS, TEMPLATES),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      const isTemplate = q !== undefined && TEMPLATES.has(q);
      if (!q || !(ENVIRONMENTS.has(q) || isTemplate)) return;
      const what = isTemplate ? 'jinja2.Template' : 'jinja2 Environment';
      const arg = call.keywords.get('autoescape');
      if (!arg) {
        if (call.hasUnknownKwargs) return;
        ctx.report(node, {
          confidence: isTemplate ? 'medium' : 'high',
          message: `By default, jinja2 sets autoescape to False; pass autoescape=True or select_autoescape() to ${what} to prevent XSS`,
        });
        return;
      }
      const value = truthy(ctx.constant(arg));
      if (value === true) return;
      const produced = ctx.qname(arg.node); // `jinja2.select_autoescape()` for a call, also through a variable
      if (produced === 'select_autoescape()' || produced?.endsWith('.select_autoescape()')) return;
      // As in Bandit: certain only for `autoescape=False` written in place; a name or expression is MEDIUM
      const confidence: Confidence = value === false && arg.node.type === 'false' ? 'high' : 'medium';
      ctx.report(node, {
        confidence,
        ...(arg.node.type === 'false' ? { fix: replaceNode(arg.node, 'True', 'Set autoescape=True (or select_autoescape() to escape by file extension)') } : {}),
        message:
          value === false
            ? `${what} with autoescape=False can lead to XSS; use autoescape=True or select_autoescape()`
            : `${what} with an autoescape value that may be false; ensure autoescape=True or use select_autoescape()`,
      });
    },
  },
});
