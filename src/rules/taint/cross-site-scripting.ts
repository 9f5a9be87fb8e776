import { defineRule } from '../rule.js';

export const crossSiteScripting = defineRule({
  meta: {
    id: 'PW106',
    name: 'cross-site-scripting',
    severity: 'medium',
    confidence: 'medium',
    cwe: 79,
    doc: {
      summary: 'Untrusted data reaches an HTML response, or markup trusted as safe, without escaping.',
      why: 'A `<script>` in the value runs in the victim\'s browser with their session: it can read the page, act as the user, and steal tokens.',
      bad: 'name = request.args["name"]\nreturn f"<h1>Hello {name}</h1>"',
      good: 'name = request.args["name"]\nreturn render_template("hello.html", name=name)  # autoescaped',
      fix: 'Render templates with autoescaping, or escape the value (`markupsafe.escape`, `django.utils.html.escape`, `format_html`); never `Markup`/`mark_safe` user data.',
      references: ['https://cwe.mitre.org/data/definitions/79.html', 'https://owasp.org/www-community/attacks/xss/', 'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html'],
      banditDifferences: 'Bandit\'s B703/B704 and B308 flag every `mark_safe`/`Markup` call; PW106 needs untrusted data in it, and also sees HTML responses built by hand.',
    },
  },
  visit: {},
  dataflow: { covers: ['B703', 'B704', 'B308'], danger: 'is sent as HTML' },
});
