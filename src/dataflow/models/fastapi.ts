/** FastAPI and Starlette: path operation functions, typed parameters, the Request object, responses. */
import type { FlowModel } from './types.js';

const OPERATIONS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'route', 'websocket', 'websocket_route'];
const REQUEST = 'starlette.requests.Request';

export const fastapiModel: FlowModel = {
  name: 'FastAPI / Starlette',
  objects: [
    {
      type: REQUEST,
      members: ['query_params', 'path_params', 'headers', 'cookies', 'url', 'body()', 'json()', 'form()', 'stream()', 'receive_text()', 'receive_json()', 'receive_bytes()', 'iter_text()', 'iter_json()'],
      kind: 'remote',
      description: 'Starlette/FastAPI `Request` and `WebSocket` data (`query_params`, `path_params`, `headers`, `cookies`, `await request.json()`, `body()`, `form()`)',
    },
  ],
  entryPoints: [
    {
      description: 'FastAPI path operations: path, query, header, cookie and body parameters (`@app.get("/items/{id}")`); typed `int`/`float`/`bool`/`UUID` parameters are validated and stay clean',
      kind: 'remote',
      decorators: OPERATIONS.flatMap((m) => [`fastapi.FastAPI().${m}`, `fastapi.APIRouter().${m}`, `fastapi.routing.APIRouter().${m}`, `starlette.applications.Starlette().${m}`]),
      decoratorMethods: OPERATIONS,
      whenImports: ['fastapi', 'starlette'],
      parameters: {
        annotatedObjects: { 'fastapi.Request': REQUEST, 'starlette.requests.Request': REQUEST, 'fastapi.WebSocket': REQUEST, 'starlette.websockets.WebSocket': REQUEST, 'fastapi.requests.Request': REQUEST },
        rest: true,
      },
    },
    {
      description: 'Starlette endpoints routed with `Route("/path", endpoint)`: module-level functions whose first parameter is `request`',
      kind: 'remote',
      firstParameter: 'request',
      whenImports: ['starlette'],
      parameters: { objects: { request: REQUEST }, rest: false },
    },
    {
      description: 'Starlette endpoints and any function taking a parameter annotated `Request`',
      kind: 'remote',
      whenImports: ['fastapi', 'starlette'],
      parameters: {
        annotatedObjects: { 'fastapi.Request': REQUEST, 'starlette.requests.Request': REQUEST, 'fastapi.WebSocket': REQUEST, 'starlette.websockets.WebSocket': REQUEST, 'fastapi.requests.Request': REQUEST },
        rest: false,
      },
    },
  ],
  sinks: [
    { rule: 'PW104', qnames: ['fastapi.responses.FileResponse', 'starlette.responses.FileResponse'], args: [0, 'path'], description: 'Starlette `FileResponse(path)`' },
    { rule: 'PW106', qnames: ['fastapi.responses.HTMLResponse', 'starlette.responses.HTMLResponse'], args: [0, 'content'], description: 'Starlette `HTMLResponse(html)`' },
    { rule: 'PW108', qnames: ['fastapi.responses.RedirectResponse', 'starlette.responses.RedirectResponse'], args: [0, 'url'], description: 'Starlette `RedirectResponse(url)`' },
  ],
};
