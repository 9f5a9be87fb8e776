import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { effectiveValue, fallbackNote, settingValue } from './setting-values.js';
import { djangoRoleFor, inheritedNote, isDeployed, settingWrites } from './setting-writes.js';

const KEYS = new Set(['ALLOWED_HOSTS']);
const MESSAGE = (note: string) => `ALLOWED_HOSTS accepts any host${note}: Django then trusts whatever Host header a request brings, so password-reset emails and absolute URLs can be made to point at an attacker's domain (host header poisoning, cache poisoning). List the real domains (".example.com" for its subdomains).`;
const FIX = { description: 'List the domains the site serves: ALLOWED_HOSTS = ["example.com", ".example.com"].' };

/** The `"*"` element of a literal list, for a precise report. */
function starElement(ctx: RuleContext, list: Node): Node | undefined {
  if (list.type !== 'list' && list.type !== 'tuple') return undefined;
  return list.namedChildren.find((c) => ctx.constant(c) === '*');
}

function check(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, KEYS)) {
    if (w.framework !== 'django' || !isDeployed(w.role)) continue;
    const v = settingValue(ctx, w.value);
    const e = effectiveValue(v);
    const hosts = Array.isArray(e?.value) ? e.value : typeof e?.value === 'string' ? [e.value] : [];
    if (!hosts.some((h) => typeof h === 'string' && h.trim() === '*')) continue;
    ctx.report(w.at, { message: MESSAGE(`${fallbackNote(v)}${inheritedNote(w)}`), at: starElement(ctx, w.value), fix: FIX });
  }
}

export const allowedHostsWildcard = defineRule({
  meta: {
    id: 'PW205',
    name: 'allowed-hosts-wildcard',
    severity: 'medium',
    confidence: 'high',
    cwe: 644,
    doc: {
      summary: 'ALLOWED_HOSTS containing "*" in a Django settings module that servers use',
      why: 'ALLOWED_HOSTS is Django\'s defence against forged Host headers. With "*", `request.get_host()` and `build_absolute_uri()` return whatever host the attacker sent: a password-reset email for the victim then links to the attacker\'s domain and leaks the reset token, and shared caches can be poisoned with attacker URLs. Subdomain patterns (".example.com") are fine; development and test settings stay quiet; an environment-driven list is judged by its literal fallback. Settings modules, Flask config classes and config files, and their environment, are recognised from the project as for PW201 and PW202; a base value that every production module or config class sets again stays quiet.',
      bad: 'ALLOWED_HOSTS = ["*"]\nALLOWED_HOSTS = ["example.com", "*"]\nALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")',
      good: 'ALLOWED_HOSTS = ["example.com", ".example.com"]\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS")',
      fix: 'List the domains the site answers to; read them from the environment without a "*" fallback.',
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts', 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation', 'https://cwe.mitre.org/data/definitions/644.html'],
    },
  },
  callNames: ['append', 'extend', 'insert'],
  visit: {
    assignment: check,
    augmented_assignment(node, ctx) {
      // ALLOWED_HOSTS += ["*"]
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || left.text !== 'ALLOWED_HOSTS' || !right || ctx.scope.kind !== 'module') return;
      const role = djangoRoleFor(ctx, 'ALLOWED_HOSTS');
      const star = role && isDeployed(role) ? starElement(ctx, right) : undefined;
      if (star) ctx.report(node, { message: MESSAGE(''), at: star, fix: FIX });
    },
    call(node, ctx) {
      // ALLOWED_HOSTS.append("*")
      const call = ctx.call(node);
      const target = call.func.type === 'attribute' ? call.func.childForFieldName('object') : undefined;
      if (target?.type !== 'identifier' || target.text !== 'ALLOWED_HOSTS' || ctx.scope.kind !== 'module') return;
      const arg = call.positional[call.name === 'insert' ? 1 : 0];
      const value = arg ? ctx.constant(arg) : undefined;
      const star = value === '*' || (Array.isArray(value) && value.includes('*'));
      const role = star ? djangoRoleFor(ctx, 'ALLOWED_HOSTS') : undefined;
      if (role && isDeployed(role)) ctx.report(node, { message: MESSAGE(''), fix: FIX });
    },
  },
});
