import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { effectiveValue, fallbackNote, settingValue } from './setting-values.js';
import { inheritedNote, isDeployed, settingWrites } from './setting-writes.js';

/** Cookies that carry a session or a credential: stealing or riding one is logging in as the user. */
const SENSITIVE = /(^|[^a-z])(session|sess|sid|auth|token|jwt|login|remember|access|refresh|api[-_]?key|credentials?|user[-_]?id|uid|identity|id[-_]?token)([^a-z]|$)|sessionid|authtoken|accesstoken|refreshtoken/i;
/** Web frameworks whose responses have `set_cookie`. */
const FRAMEWORKS = ['django', 'flask', 'werkzeug', 'quart', 'starlette', 'fastapi', 'rest_framework'];
/** Cookie settings that must stay on, per framework spelling (Django and Flask share the names). */
const FLAG_SETTINGS = new Set(['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'REMEMBER_COOKIE_SECURE', 'REMEMBER_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_SECURE']);

function checkSetCookie(node: Node, ctx: RuleContext): void {
  const call = ctx.call(node);
  if (call.func.type !== 'attribute' || call.hasUnknownKwargs || !FRAMEWORKS.some((m) => ctx.imports(m))) return;
  const key = call.keywords.get('key') ?? call.positional[0];
  const name = key ? ctx.constant(key) : undefined;
  if (typeof name !== 'string' || !SENSITIVE.test(name)) return;
  const missing: string[] = [];
  for (const flag of ['secure', 'httponly'] as const) {
    // positions after key, value, max_age, expires, path, domain
    const arg = call.keywords.get(flag) ?? call.positional[flag === 'secure' ? 6 : 7];
    if (!arg || truthy(ctx.constant(arg)) === false) missing.push(`${flag}=True`);
  }
  // Starlette defaults samesite to "lax"; Django, Flask and Werkzeug send none unless asked
  const starletteOnly = (ctx.imports('starlette') || ctx.imports('fastapi')) && !['django', 'flask', 'werkzeug', 'quart', 'rest_framework'].some((m) => ctx.imports(m));
  const samesite = call.keywords.get('samesite') ?? call.positional[8];
  if (!starletteOnly && (!samesite || ctx.constant(samesite) === null)) missing.push('samesite="Lax"');
  if (!missing.length) return;
  ctx.report(node, {
    message: `Cookie '${name}' looks like a session or credential cookie but is set without ${missing.join(', ')}: ${missing.some((m) => m.startsWith('secure')) ? 'it is sent over plain HTTP where a network attacker reads it, ' : ''}${missing.some((m) => m.startsWith('httponly')) ? 'any XSS can read it from JavaScript, ' : ''}${missing.some((m) => m.startsWith('samesite')) ? 'and other sites\' requests carry it (CSRF), ' : ''}which hands over the user's session. Set ${missing.join(', ')}.`,
    fix: { description: `Pass ${missing.join(', ')} to ${call.name}.` },
  });
}

function checkSettings(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, FLAG_SETTINGS)) {
    if (!isDeployed(w.role)) continue;
    const v = settingValue(ctx, w.value);
    const e = effectiveValue(v);
    if (!e || truthy(e.value) !== false) continue;
    const http = w.key.endsWith('HTTPONLY');
    ctx.report(w.at, {
      message: `${w.key} is False${fallbackNote(v)}${inheritedNote(w)}: the ${w.key.startsWith('CSRF') ? 'CSRF' : w.key.startsWith('REMEMBER') ? 'remember-me' : w.key.startsWith('LANGUAGE') ? 'language' : 'session'} cookie ${http ? 'can be read by any script on the page, so one XSS steals the session' : 'is also sent over plain HTTP, where anyone on the network path reads it'}. Set ${w.key} = True in the settings servers use.`,
      fix: { description: `Set ${w.key} = True.` },
    });
  }
}

export const insecureCookie = defineRule({
  meta: {
    id: 'PW204',
    name: 'insecure-cookie',
    severity: 'medium',
    confidence: 'medium',
    cwe: 614,
    doc: {
      summary: 'Session or auth cookie set without secure/httponly/samesite, or SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE / SESSION_COOKIE_HTTPONLY = False',
      why: 'A session or token cookie is the user\'s login. Without `Secure` the browser also sends it over plain HTTP, where anyone on the network (public Wi-Fi, a proxy) reads it; without `HttpOnly` any cross-site scripting bug reads it from JavaScript and sends it away; without `SameSite` other sites\' requests carry it, which is what CSRF needs. Judged on `set_cookie`/`set_signed_cookie` of Django, Flask/Werkzeug and Starlette responses for cookies named like a session or credential (Starlette already defaults to SameSite=Lax), and on the framework settings in the settings servers use (development and test settings stay quiet). Settings modules, Flask config classes and config files, and their environment, are recognised from the project as for PW201 and PW202; a base value that every production module or config class sets again stays quiet.',
      bad: 'response.set_cookie("sessionid", sid)\nresponse.set_cookie("auth_token", token, httponly=True)\nSESSION_COOKIE_SECURE = False',
      good: 'response.set_cookie("sessionid", sid, secure=True, httponly=True, samesite="Lax")\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True',
      fix: 'Pass secure=True, httponly=True and samesite="Lax" (or "Strict") when setting a session or credential cookie, and keep SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE / SESSION_COOKIE_HTTPONLY on.',
      references: ['https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie', 'https://flask.palletsprojects.com/en/latest/security/#set-cookie-options', 'https://owasp.org/www-community/controls/SecureCookieAttribute', 'https://cwe.mitre.org/data/definitions/614.html', 'https://cwe.mitre.org/data/definitions/1004.html'],
    },
  },
  callNames: ['set_cookie', 'set_signed_cookie', 'update', 'from_mapping', 'setdefault'],
  visit: {
    call(node, ctx) {
      const fn = node.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (method === 'set_cookie' || method === 'set_signed_cookie') checkSetCookie(node, ctx);
      else checkSettings(node, ctx);
    },
    assignment: checkSettings,
  },
});
