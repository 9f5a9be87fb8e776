import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { effectiveValue, fallbackNote, settingValue } from './setting-values.js';
import { djangoRoleFor, inheritedNote, isDeployed, settingWrites } from './setting-writes.js';

const CSRF_EXEMPT = new Set(['django.views.decorators.csrf.csrf_exempt']);
/** Flask-WTF: `csrf = CSRFProtect(app)`, then `@csrf.exempt`. */
const WTF_EXEMPT = new Set(['flask_wtf.csrf.CSRFProtect().exempt', 'flask_wtf.CSRFProtect().exempt', 'flask_wtf.csrf.CsrfProtect().exempt']);
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
const CSRF_MIDDLEWARE = /(^|\.)CsrfViewMiddleware$/;
/** Django's own middleware: a list holding them is the project's real middleware stack. */
const DJANGO_MIDDLEWARE = /^django\.(middleware\.(security\.SecurityMiddleware|common\.CommonMiddleware|clickjacking\.XFrameOptionsMiddleware)|contrib\.(sessions\.middleware\.SessionMiddleware|auth\.middleware\.AuthenticationMiddleware|messages\.middleware\.MessageMiddleware))$/;
const WTF_KEYS = new Set(['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT']);
const MIDDLEWARE_KEYS = new Set(['MIDDLEWARE', 'MIDDLEWARE_CLASSES']);

const EXEMPT_MESSAGE = 'This view is exempt from CSRF protection: another site can make a logged-in user\'s browser send it a forged POST (change an email, transfer money) with the user\'s cookies. Keep CSRF protection and send the token from your forms and JavaScript; for an API called by other servers, authenticate it with a token or signature header instead of cookies.';

function isExempt(ctx: RuleContext, node: Node): boolean {
  const q = ctx.qname(node);
  return q !== undefined && (CSRF_EXEMPT.has(q) || WTF_EXEMPT.has(q));
}

function checkMiddleware(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, MIDDLEWARE_KEYS)) {
    if (w.framework !== 'django' || !isDeployed(w.role)) continue;
    if (w.value.type !== 'list' && w.value.type !== 'tuple') continue;
    const names = w.value.namedChildren.filter((c) => c.type !== 'comment').map((c) => ctx.string(c));
    if (names.some((s) => !s || s.dynamic)) continue; // a list built from other lists: cannot tell
    const values = names.map((s) => s!.value);
    if (values.some((v) => CSRF_MIDDLEWARE.test(v)) || !values.some((v) => DJANGO_MIDDLEWARE.test(v))) continue;
    ctx.report(w.at, {
      message: `${w.key} has Django's middleware but not django.middleware.csrf.CsrfViewMiddleware${inheritedNote(w)}: no view checks CSRF tokens, so any site can make a logged-in user's browser submit forms to this one. Put "django.middleware.csrf.CsrfViewMiddleware" back after SessionMiddleware and CommonMiddleware.`,
      fix: { description: 'Add "django.middleware.csrf.CsrfViewMiddleware" to MIDDLEWARE (after SessionMiddleware and CommonMiddleware).' },
    });
  }
}

function checkWtf(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, WTF_KEYS)) {
    if (!isDeployed(w.role)) continue;
    const v = settingValue(ctx, w.value);
    const e = effectiveValue(v);
    if (!e || truthy(e.value) !== false) continue;
    ctx.report(w.at, {
      message: `${w.key} is False${fallbackNote(v)}${inheritedNote(w)}: Flask-WTF then checks no CSRF token, so another site can submit this app's forms with a logged-in user's cookies. Leave it on (the default) outside tests.`,
      fix: { description: `Remove ${w.key} = False (it is on by default), or set it only in the testing config.` },
    });
  }
}

export const csrfProtectionDisabled = defineRule({
  meta: {
    id: 'PW203',
    name: 'csrf-protection-disabled',
    severity: 'medium',
    confidence: 'high',
    cwe: 352,
    doc: {
      summary: 'CSRF protection turned off: @csrf_exempt (also through method_decorator), Flask-WTF csrf.exempt or WTF_CSRF_ENABLED = False, CsrfViewMiddleware missing from a settings MIDDLEWARE',
      why: 'A browser sends a site\'s cookies with every request to it, whichever page made the request. Without a CSRF token check, any page a logged-in user visits can submit forms to the app as that user: change their email or password, make purchases, grant access. Test settings that turn CSRF off for a test client stay quiet, and so does a MIDDLEWARE list that is not the project\'s Django stack. Settings modules, Flask config classes and config files, and their environment, are recognised from the project as for PW201 and PW202; a base value that every production module or config class sets again stays quiet.',
      bad: 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef transfer(request):\n    ...\n\nWTF_CSRF_ENABLED = False',
      good: '@require_POST\ndef transfer(request):  # the form sends {% csrf_token %}\n    ...\n\n# a webhook from another server: verify its signature instead of cookies\n@csrf_exempt\ndef stripe_webhook(request):  # nosec PW203: authenticated by stripe.Webhook.construct_event\n    ...',
      fix: 'Keep CSRF protection on and send the token (Django {% csrf_token %} / X-CSRFToken header, Flask-WTF form.csrf_token); exempt only endpoints that authenticate without cookies, and say so with a `# nosec PW203` comment.',
      references: ['https://docs.djangoproject.com/en/stable/ref/csrf/', 'https://flask-wtf.readthedocs.io/en/latest/csrf/', 'https://owasp.org/www-community/attacks/csrf', 'https://cwe.mitre.org/data/definitions/352.html'],
    },
  },
  callNames: ['csrf_exempt', 'method_decorator', 'exempt', 'update', 'from_mapping', 'setdefault', 'remove'],
  visit: {
    decorator(node, ctx) {
      // `@csrf_exempt`, `@ce` (an alias), `@csrf.exempt`; calls (`@method_decorator(csrf_exempt, ...)`) are seen as calls
      const expr = node.namedChildren.find((c) => c.type !== 'comment');
      if (expr && expr.type !== 'call' && isExempt(ctx, expr)) ctx.report(node, { message: EXEMPT_MESSAGE, fix: { description: 'Remove the exemption and send the CSRF token from the client.' } });
    },
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.qname === METHOD_DECORATOR) {
        const first = call.positional[0]?.node;
        const decorators = first?.type === 'list' || first?.type === 'tuple' ? first.namedChildren : first ? [first] : [];
        if (decorators.some((d) => isExempt(ctx, d))) ctx.report(node, { message: EXEMPT_MESSAGE, fix: { description: 'Remove the exemption and send the CSRF token from the client.' } });
        return;
      }
      if (call.qname && (CSRF_EXEMPT.has(call.qname) || WTF_EXEMPT.has(call.qname))) {
        // `path("pay/", csrf_exempt(views.pay))`
        if (call.positional.length === 1) ctx.report(node, { message: EXEMPT_MESSAGE, fix: { description: 'Remove the exemption and send the CSRF token from the client.' } });
        return;
      }
      if (call.name === 'remove' && call.func.type === 'attribute') {
        // `MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")` in a settings module
        const target = call.func.childForFieldName('object')!;
        const arg = call.positional[0] ? ctx.string(call.positional[0]) : undefined;
        if (target.type === 'identifier' && MIDDLEWARE_KEYS.has(target.text) && arg && CSRF_MIDDLEWARE.test(arg.value) && ctx.scope.kind === 'module') {
          const role = djangoRoleFor(ctx, 'MIDDLEWARE');
          if (role && isDeployed(role)) ctx.report(node, { message: 'CsrfViewMiddleware is removed from MIDDLEWARE: no view checks CSRF tokens any more, so any site can make a logged-in user\'s browser submit forms to this one.', fix: { description: 'Keep django.middleware.csrf.CsrfViewMiddleware in MIDDLEWARE.' } });
        }
        return;
      }
      checkWtf(node, ctx);
    },
    assignment(node, ctx) {
      checkWtf(node, ctx);
      checkMiddleware(node, ctx);
    },
  },
});
