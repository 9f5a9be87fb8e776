import { defineRule } from '../rule.js';
import { HtmlSafety } from './safe-html.js';
import { lastSegments } from '../call-names.js';

const MARKERS = ['mark_safe', 'SafeText', 'SafeUnicode', 'SafeString', 'SafeBytes'];
const CALLS = new Set([...MARKERS.map((m) => `django.utils.safestring.${m}`), 'django.utils.html.mark_safe']);

export const djangoMarkSafe = defineRule({
  meta: {
    id: 'B703',
    name: 'django_mark_safe',
    severity: 'medium',
    confidence: 'high',
    cwe: 80,
    doc: {
      summary: 'mark_safe() on a value that may contain user input: potential XSS',
      why: 'mark_safe() tells Django\'s templates not to escape the string. If any part of it comes from a request, the database or another user, an attacker can inject <script> or event-handler attributes that run in other users\' browsers, stealing sessions or acting as them.',
      bad: 'def greeting(request):\n    return mark_safe(f"<b>Hello {request.GET[\'name\']}</b>")',
      good: 'from django.utils.html import format_html\n\ndef greeting(request):\n    return format_html("<b>Hello {}</b>", request.GET["name"])',
      fix: 'Build the HTML with format_html() (which escapes its arguments) or escape() every dynamic part before mark_safe().',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://cwe.mitre.org/data/definitions/80.html',
      ],
      banditDifferences:
        'Names are resolved, so `from django.utils.safestring import mark_safe as safe` is found and an unrelated `mark_safe` is not. The argument is traced like Bandit does ' +
        '(every assignment of a name in the calling scope, `+=` included, must be safe; parameters and names from enclosing scopes are not), and additionally accepts f-strings and `+` over safe parts, conditional expressions, ' +
        'and the results of escaping functions (escape, conditional_escape, format_html, html.escape, markupsafe.escape, bleach.clean).',
    },
  },
  callNames: lastSegments(CALLS),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !CALLS.has(call.qname)) return;
      const arg = call.positional[0] ?? call.keywords.get('s');
      if (!arg || new HtmlSafety(ctx).isSafe(arg.node, arg.scope)) return;
      ctx.report(node, {
        message: `Potential XSS: ${call.qname.split(".").pop()}() on a value that may contain user input; use format_html() or escape the dynamic parts`,
      });
    },
  },
});
