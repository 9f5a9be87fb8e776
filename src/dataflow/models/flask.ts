/** Flask, Werkzeug and Quart: the request proxy, route functions, and their response helpers. */
import type { FlowModel } from './types.js';

const REQUEST_MEMBERS = [
  'args', 'form', 'values', 'json', 'data', 'files', 'cookies', 'headers', 'stream', 'environ', 'view_args',
  'path', 'full_path', 'url', 'base_url', 'url_root', 'host_url', 'query_string', 'referrer', 'user_agent',
  'authorization', 'input_stream', 'get_json()', 'get_data()', 'form.get()', 'args.get()',
];

export const flaskModel: FlowModel = {
  name: 'Flask / Werkzeug / Quart',
  objects: [
    {
      type: 'flask.Request',
      qnames: ['flask.request', 'quart.request', 'werkzeug.wrappers.Request()', 'flask.Request()'],
      members: REQUEST_MEMBERS,
      kind: 'remote',
      description: 'Flask/Werkzeug request data (`request.args`, `form`, `values`, `json`, `data`, `files`, `cookies`, `headers`, `get_json()`, `get_data()`)',
    },
  ],
  entryPoints: [
    {
      description: 'Flask route parameters (`@app.route("/users/<name>")`, blueprints, `@app.get`)',
      kind: 'remote',
      decorators: [
        'flask.Flask().route', 'flask.Flask().get', 'flask.Flask().post', 'flask.Flask().put', 'flask.Flask().delete', 'flask.Flask().patch',
        'flask.Blueprint().route', 'flask.Blueprint().get', 'flask.Blueprint().post', 'flask.Blueprint().put', 'flask.Blueprint().delete', 'flask.Blueprint().patch',
        'quart.Quart().route', 'quart.Blueprint().route',
      ],
      decoratorMethods: ['route'],
      whenImports: ['flask', 'quart'],
      parameters: { rest: true },
    },
    {
      description: 'Flask class-based views (`flask.views.MethodView`, `View.dispatch_request`): URL parameters',
      kind: 'remote',
      classBases: ['flask.views.MethodView', 'flask.views.View', 'quart.views.MethodView', 'quart.views.View'],
      methods: ['get', 'post', 'put', 'patch', 'delete', 'dispatch_request'],
      parameters: { skip: ['self'], rest: true },
    },
  ],
  sinks: [
    { rule: 'PW104', qnames: ['flask.send_file', 'flask.helpers.send_file', 'werkzeug.utils.send_file'], args: [0, 'path_or_file', 'filename_or_fp'], description: 'Flask `send_file(path)`' },
    { rule: 'PW104', methods: ['save'], args: [0, 'dst'], description: 'Werkzeug `FileStorage.save(path)` (an upload stored under a path built from request data)' },
    { rule: 'PW106', qnames: ['flask.make_response', 'flask.Response', 'werkzeug.wrappers.Response', 'quart.make_response'], args: [0, 'response'], when: 'html-content', description: 'Flask `make_response(html)` / `Response(html)`' },
    { rule: 'PW107', qnames: ['flask.render_template_string', 'quart.render_template_string'], args: [0, 'source'], description: 'Flask `render_template_string(source)`' },
    { rule: 'PW108', qnames: ['flask.redirect', 'werkzeug.utils.redirect', 'quart.redirect'], args: [0, 'location'], description: 'Flask `redirect(location)`' },
  ],
  sanitizers: [
    { qnames: ['werkzeug.utils.secure_filename', 'werkzeug.secure_filename'], clears: ['PW104', 'PW102', 'PW106', 'PW108', 'PW105'], description: '`secure_filename` keeps letters, digits, `_`, `-` and `.` (no separators, no `..`)' },
    { qnames: ['werkzeug.security.safe_join', 'werkzeug.utils.safe_join', 'flask.safe_join', 'flask.helpers.safe_join'], clears: ['PW104'], description: '`safe_join` refuses paths outside the directory' },
    { qnames: ['flask.url_for', 'quart.url_for'], clears: ['PW108', 'PW105'], description: '`url_for` builds a URL of this application' },
    { qnames: ['flask.escape', 'markupsafe.escape', 'jinja2.escape', 'werkzeug.utils.escape'], clears: ['PW106'], description: 'HTML escaping (not for template source: `{{ ... }}` has nothing to escape)' },
  ],
  noReturn: [{ qnames: ['flask.abort', 'werkzeug.exceptions.abort', 'quart.abort'], description: '`abort(403)` raises an HTTP error' }],
};
