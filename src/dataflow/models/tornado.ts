/** Tornado request handlers. */
import type { FlowModel } from './types.js';

const REQUEST = 'tornado.httputil.HTTPServerRequest';

export const tornadoModel: FlowModel = {
  name: 'Tornado',
  objects: [
    {
      type: 'tornado.web.RequestHandler',
      members: ['get_argument()', 'get_arguments()', 'get_query_argument()', 'get_query_arguments()', 'get_body_argument()', 'get_body_arguments()', 'get_cookie()', 'get_secure_cookie()', 'get_signed_cookie()', 'path_args', 'path_kwargs', 'decode_argument()'],
      objectMembers: { request: REQUEST },
      kind: 'remote',
      description: 'Tornado handler input (`self.get_argument()`, `get_query_argument()`, `get_body_argument()`, `get_cookie()`, `path_args`)',
    },
    {
      type: REQUEST,
      members: ['body', 'arguments', 'query_arguments', 'body_arguments', 'files', 'headers', 'uri', 'path', 'query', 'cookies'],
      kind: 'remote',
      description: 'Tornado `self.request` data (`body`, `arguments`, `files`, `headers`, `uri`, `path`, `query`)',
    },
  ],
  entryPoints: [
    {
      description: 'Tornado `RequestHandler` methods: URL path arguments, `self.get_argument()`, `self.request`',
      kind: 'remote',
      classBases: ['tornado.web.RequestHandler', 'tornado.websocket.WebSocketHandler'],
      methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'prepare', 'on_message'],
      selfObjects: { '': 'tornado.web.RequestHandler', request: REQUEST },
      parameters: { skip: ['self'], rest: true },
    },
  ],
  sinks: [
    { rule: 'PW108', methods: ['redirect'], args: [0, 'url'], description: 'Tornado `self.redirect(url)`' },
    { rule: 'PW107', qnames: ['tornado.template.Template'], args: [0, 'template_string'], description: 'Tornado `Template(source)`' },
  ],
};
