/** Template engines: the template source is a sink, the context values are not. (Django's and Flask's are in their own tables.) */
import type { FlowModel } from './types.js';

export const templatesModel: FlowModel = {
  name: 'templates (Jinja2, Mako, Chameleon) and HTML markup',
  sinks: [
    { rule: 'PW107', qnames: ['jinja2.Template', 'jinja2.environment.Template', 'mako.template.Template', 'chameleon.PageTemplate'], args: [0, 'source', 'text'], description: '`jinja2.Template(source)`, Mako `Template(text)`' },
    { rule: 'PW107', qnames: ['jinja2.sandbox.SandboxedEnvironment().from_string', 'jinja2.sandbox.ImmutableSandboxedEnvironment().from_string'], args: [], description: 'a Jinja2 sandbox is made for untrusted templates: its `from_string` is not a sink (listed so the `from_string` method sink does not apply)' },
    { rule: 'PW107', methods: ['from_string'], args: [0, 'source', 'template_string'], description: '`Environment.from_string(source)`' },
    { rule: 'PW106', qnames: ['markupsafe.Markup', 'jinja2.Markup', 'flask.Markup', 'jinja2.utils.Markup'], args: [0, 'base'], description: '`Markup(html)` (trusted as HTML, never escaped)' },
  ],
  sanitizers: [
    { qnames: ['html.escape', 'cgi.escape', 'xml.sax.saxutils.escape', 'bleach.clean', 'bleach.linkify', 'nh3.clean', 'markupsafe.Markup.escape', 'markupsafe.escape', 'markupsafe.soft_str'], clears: ['PW106'], description: 'HTML escaping and sanitising (`html.escape`, `markupsafe.escape`, `bleach.clean`); not for template source: `{{ 7*7 }}` has nothing to escape' },
  ],
};
