import { defineRule } from '../rule.js';

export const serverSideTemplateInjection = defineRule({
  meta: {
    id: 'PW107',
    name: 'server-side-template-injection',
    severity: 'high',
    confidence: 'high',
    cwe: 1336,
    doc: {
      summary: 'Untrusted data becomes the source of a template (`render_template_string`, `jinja2.Template`).',
      why: 'Template languages reach Python objects: `{{ cycler.__init__.__globals__.os.popen("id").read() }}` runs commands on the server. Only the context values may be untrusted, never the template.',
      bad: 'name = request.args["name"]\nreturn render_template_string("<h1>Hello " + name + "</h1>")',
      good: 'name = request.args["name"]\nreturn render_template_string("<h1>Hello {{ name }}</h1>", name=name)',
      fix: 'Keep the template constant (or load it from a file) and pass untrusted values as context variables.',
      references: ['https://cwe.mitre.org/data/definitions/1336.html', 'https://portswigger.net/web-security/server-side-template-injection', 'https://jinja.palletsprojects.com/en/stable/sandbox/'],
    },
  },
  visit: {},
  dataflow: { covers: ['B702'], danger: 'is compiled as a template' },
});
