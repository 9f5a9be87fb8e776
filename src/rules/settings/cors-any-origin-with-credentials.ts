import type { ConstValue } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { djangoSettingsRole } from './django-settings.js';
import { effectiveValue, settingValue } from './setting-values.js';
import { isDeployed } from './setting-writes.js';

const STARLETTE_CORS = new Set(['starlette.middleware.cors.CORSMiddleware', 'fastapi.middleware.cors.CORSMiddleware']);
const MIDDLEWARE_WRAPPERS = new Set(['starlette.middleware.Middleware', 'fastapi.middleware.Middleware']);
const FLASK_CORS = new Set(['flask_cors.CORS', 'flask_cors.cross_origin', 'flask_cors.extension.CORS', 'flask_cors.decorator.cross_origin']);
/** Regexes that match every origin (or every origin of a scheme): `.*`, `^.*$`, `https?://.*`, `.+`. */
const ANY_REGEX = /^\^?(https?\??:\/\/|\(https?\|https?\):\/\/)?\.[*+]\$?$/;
const ALLOW_ALL = ['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL'];
const DJANGO_REGEXES = ['CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST'];

const MESSAGE = (how: string) => `CORS ${how} and allows credentials: any website a logged-in user visits can call this API with the user's cookies and read the responses (their data, CSRF tokens, API keys). Allow credentials only for an explicit list of trusted origins.`;
const FIX = { description: 'Replace the wildcard with the list of trusted origins (allow_origins=["https://app.example.com"]), or drop credentials.' };

function anyOrigin(value: ConstValue | undefined): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.some((o) => o === '*');
}

function anyRegex(value: ConstValue | undefined): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.some((o) => typeof o === 'string' && ANY_REGEX.test(o.trim()));
}

function starlette(ctx: RuleContext, call: ReturnType<RuleContext['call']>, node: Node): void {
  if (!truthy(call.keywords.get('allow_credentials') ? ctx.constant(call.keywords.get('allow_credentials')!) : undefined)) return;
  const origins = call.keywords.get('allow_origins');
  const regex = call.keywords.get('allow_origin_regex');
  const all = origins && anyOrigin(effectiveValue(settingValue(ctx, origins.node))?.value);
  const allRegex = regex && anyRegex(effectiveValue(settingValue(ctx, regex.node))?.value);
  if (!all && !allRegex) return;
  ctx.report(node, { message: MESSAGE(all ? 'allows every origin ("*")' : 'allows every origin by regex'), fix: FIX });
}

/** flask-cors: origins default to "*"; `resources={r"/api/*": {"origins": ...}}` may narrow them per path. */
function flaskCors(ctx: RuleContext, call: ReturnType<RuleContext['call']>, node: Node): void {
  if (call.hasUnknownKwargs) return;
  const origins = call.keywords.get('origins');
  const top: ConstValue | undefined = origins ? effectiveValue(settingValue(ctx, origins.node))?.value : '*';
  const credentials = call.keywords.get('supports_credentials');
  const topCredentials = credentials ? truthy(ctx.constant(credentials)) : false;
  const resources = call.keywords.get('resources');
  const res = resources ? ctx.constant(resources) : undefined;
  let hit = false;
  if (res && typeof res === 'object' && !Array.isArray(res)) {
    for (const options of Object.values(res)) {
      const o = options && typeof options === 'object' && !Array.isArray(options) ? options : {};
      const origin = 'origins' in o ? o.origins : top;
      const creds = 'supports_credentials' in o ? truthy(o.supports_credentials) : topCredentials;
      if (creds === true && (anyOrigin(origin) || anyRegex(origin))) hit = true;
    }
  } else if (resources && !res) {
    return; // resources we cannot read
  } else {
    hit = topCredentials === true && (anyOrigin(top) || anyRegex(top));
  }
  if (hit) ctx.report(node, { message: MESSAGE(origins ? 'allows every origin' : 'allows every origin (flask-cors\'s default when no origins are given)'), fix: { description: 'Pass origins=["https://app.example.com"] (flask-cors allows "*" by default), or drop supports_credentials.' } });
}

/** django-cors-headers: `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True` in the same settings module. */
function djangoCors(node: Node, ctx: RuleContext): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || !right || ctx.scope.kind !== 'module') return;
  const all = ALLOW_ALL.includes(left.text);
  if (!all && !DJANGO_REGEXES.includes(left.text)) return;
  const value = effectiveValue(settingValue(ctx, right))?.value;
  if (all ? truthy(value) !== true : !anyRegex(value)) return;
  const bindings = ctx.scope.bindings.get('CORS_ALLOW_CREDENTIALS');
  const last = bindings?.[bindings.length - 1];
  const creds = last?.kind === 'value' && last.value ? effectiveValue(settingValue(ctx, last.value))?.value : undefined;
  if (truthy(creds) !== true) return;
  const role = djangoSettingsRole(ctx) ?? 'production';
  if (!isDeployed(role)) return;
  ctx.report(node, { message: MESSAGE(all ? `allows every origin (${left.text} = True)` : `allows every origin by regex (${left.text})`), fix: { description: 'Set CORS_ALLOWED_ORIGINS to the trusted origins instead of allowing all, or set CORS_ALLOW_CREDENTIALS = False.' } });
}

export const corsAnyOriginWithCredentials = defineRule({
  meta: {
    id: 'PW206',
    name: 'cors-any-origin-with-credentials',
    severity: 'high',
    confidence: 'high',
    cwe: 942,
    doc: {
      summary: 'CORS allowing any origin together with credentials (Starlette/FastAPI CORSMiddleware, flask-cors, django-cors-headers)',
      why: 'Browsers refuse `Access-Control-Allow-Origin: *` with credentials, so these libraries answer "any origin with credentials" by echoing back whatever Origin the request has. Every website the user visits can then make credentialed requests to the API and read the responses: personal data, CSRF tokens, API keys. An explicit list of origins, or a wildcard without credentials, stays quiet.',
      bad: 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\nCORS(app, supports_credentials=True)  # flask-cors: origins default to "*"\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True',
      good: 'app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)\nCORS(app, origins=["https://app.example.com"], supports_credentials=True)\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]',
      fix: 'Name the trusted origins explicitly when credentials are allowed; use a wildcard only for public, cookie-less endpoints.',
      references: ['https://www.starlette.io/middleware/#corsmiddleware', 'https://flask-cors.readthedocs.io/en/latest/api.html', 'https://github.com/adamchainz/django-cors-headers#configuration', 'https://portswigger.net/web-security/cors', 'https://cwe.mitre.org/data/definitions/942.html'],
    },
  },
  callNames: ['add_middleware', 'Middleware', 'CORSMiddleware', 'CORS', 'cross_origin'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      if (q && FLASK_CORS.has(q)) return flaskCors(ctx, call, node);
      if (q && STARLETTE_CORS.has(q)) return starlette(ctx, call, node); // CORSMiddleware(app, ...)
      const first = call.positional[0];
      if ((call.name === 'add_middleware' || (q && MIDDLEWARE_WRAPPERS.has(q))) && first && STARLETTE_CORS.has(ctx.qname(first.node) ?? '')) starlette(ctx, call, node);
    },
    assignment: djangoCors,
  },
});
