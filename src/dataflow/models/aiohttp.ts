/** aiohttp's server side: handlers and their request object, responses, redirects. (Its client is in http-clients.ts.) */
import type { FlowModel } from './types.js';

const REQUEST = 'aiohttp.web.Request';

export const aiohttpModel: FlowModel = {
  name: 'aiohttp (server)',
  objects: [
    {
      type: REQUEST,
      members: ['query', 'match_info', 'headers', 'cookies', 'path', 'path_qs', 'raw_path', 'query_string', 'url', 'rel_url', 'content', 'post()', 'json()', 'text()', 'read()', 'multipart()'],
      kind: 'remote',
      description: 'aiohttp request data (`request.query`, `match_info`, `headers`, `cookies`, `await request.post()`, `json()`, `text()`, `read()`)',
    },
  ],
  entryPoints: [
    {
      description: 'aiohttp handlers registered with `app.router.add_get(...)`: module-level functions whose first parameter is `request`',
      kind: 'remote',
      firstParameter: 'request',
      whenImports: ['aiohttp.web'],
      parameters: { objects: { request: REQUEST }, rest: false },
    },
    {
      description: 'aiohttp handlers (`@routes.get(...)`, `web.View` methods, functions taking a `web.Request`)',
      kind: 'remote',
      decorators: ['get', 'post', 'put', 'patch', 'delete', 'view', 'route'].map((m) => `aiohttp.web.RouteTableDef().${m}`),
      decoratorMethods: ['get', 'post', 'put', 'patch', 'delete', 'view'],
      whenImports: ['aiohttp'],
      parameters: { objects: { '#0': REQUEST }, annotatedObjects: { 'aiohttp.web.Request': REQUEST, 'aiohttp.web.BaseRequest': REQUEST, 'aiohttp.web_request.Request': REQUEST }, rest: false },
    },
    {
      description: 'aiohttp class-based views (`web.View`): `self.request`',
      kind: 'remote',
      classBases: ['aiohttp.web.View', 'aiohttp.web_urldispatcher.View'],
      methods: ['get', 'post', 'put', 'patch', 'delete'],
      selfObjects: { request: REQUEST },
      parameters: { skip: ['self'], rest: false },
    },
  ],
  sinks: [
    { rule: 'PW104', qnames: ['aiohttp.web.FileResponse'], args: [0, 'path'], description: 'aiohttp `FileResponse(path)`' },
    { rule: 'PW106', qnames: ['aiohttp.web.Response'], args: ['text', 'body'], when: 'html-content', description: 'aiohttp `web.Response(text=html, content_type="text/html")`' },
    { rule: 'PW108', qnames: ['aiohttp.web.HTTPFound', 'aiohttp.web.HTTPSeeOther', 'aiohttp.web.HTTPMovedPermanently', 'aiohttp.web.HTTPTemporaryRedirect', 'aiohttp.web.HTTPPermanentRedirect'], args: [0, 'location'], description: 'aiohttp `raise web.HTTPFound(location)`' },
  ],
};
