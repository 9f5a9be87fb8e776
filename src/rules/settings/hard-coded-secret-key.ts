import { defineRule, type RuleContext } from '../rule.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { settingValue } from './setting-values.js';
import { inheritedNote, isDeployed, settingWrites, type SettingWrite } from './setting-writes.js';

const KEYS = new Set(['SECRET_KEY', 'SECRET_KEY_FALLBACKS']);
/** Values that say "set me" rather than being a key: they fail loudly or are replaced at deploy time. */
const PLACEHOLDER = /^(|\s+|changeme|change[-_ ]?me|replace[-_ ]?me|todo|xxx+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\})$/i;

function literalSecret(ctx: RuleContext, w: SettingWrite): { node: Node; fallback: boolean; variable?: string } | undefined {
  const v = settingValue(ctx, w.value);
  if (!v) return undefined;
  const value = v.source === 'literal' ? v.value : v.fallback;
  const isKey = (x: unknown) => typeof x === 'string' && !PLACEHOLDER.test(x.trim());
  if (!(isKey(value) || (Array.isArray(value) && value.some(isKey)))) return undefined;
  const s = v.source === 'literal' ? ctx.string(w.value) : undefined;
  if (v.source === 'literal' && !Array.isArray(value) && (!s || s.dynamic)) return undefined;
  return { node: w.value, fallback: v.source === 'environment', ...(v.source === 'environment' && v.variable ? { variable: v.variable } : {}) };
}

function check(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, KEYS)) {
    if (!isDeployed(w.role)) continue;
    const found = literalSecret(ctx, w);
    if (!found) continue;
    const what = w.framework === 'django' ? 'Django SECRET_KEY' : w.framework === 'flask' ? 'Flask secret key' : w.framework === 'config-module' ? `${w.key} of a Flask config file` : `${w.key} of a config class`;
    ctx.report(w.at, {
      message: `The ${what} is ${found.fallback ? `a literal fallback used whenever ${found.variable ?? 'the environment variable'} is not set` : 'written in the code'}${inheritedNote(w)}: anyone with the repository (or its history) can forge session cookies, password-reset links and signed values. Read it from the environment or a secrets manager with no literal default, and rotate the key that was committed.`,
      fix: { description: w.framework === 'django' ? 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"] (and rotate the committed key)' : 'app.config["SECRET_KEY"] = os.environ["SECRET_KEY"] (and rotate the committed key)' },
    });
  }
}

export const hardCodedSecretKey = defineRule({
  meta: {
    id: 'PW202',
    name: 'hard-coded-secret-key',
    severity: 'high',
    confidence: 'high',
    cwe: 798,
    doc: {
      summary: 'Literal Django SECRET_KEY or Flask secret key (app.secret_key, config["SECRET_KEY"], config.update(SECRET_KEY=...))',
      why: 'Django and Flask sign session cookies, password-reset tokens, CSRF tokens and `signing`/itsdangerous values with the secret key. Whoever knows it can forge a logged-in session for any user, and with a pickle-based session serializer run code. A key written in the code is known to everyone who can read the repository, its forks and its history; a literal fallback (`os.environ.get("SECRET_KEY", "dev")`) is what a server silently gets when the variable is missing. Test and development settings, and placeholders such as "changeme", stay quiet. Django settings modules and their environment are recognised as for PW201 (a base value every production module sets again stays quiet). Flask config classes count by name (`ProductionConfig`; `DevelopmentConfig` and `TestingConfig` stay quiet), by an app loading them (`app.config.from_object("config.Live")`, `from_object(config_class)` with a `Config` default, a selection map such as `{"production": LiveConfig}`), and so do modules and files loaded with `from_object`/`from_pyfile` (a `.cfg` file loaded that way is read as Python); a base `Config` whose production subclasses all set SECRET_KEY again stays quiet.',
      bad: 'SECRET_KEY = "django-insecure-9x!2k$..."\napp.secret_key = "s3cr3t"\napp.config.update(SECRET_KEY="s3cr3t")\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")',
      good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\napp.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]\nSECRET_KEY = env("DJANGO_SECRET_KEY")',
      fix: 'Read the key from the environment or a secrets manager with no literal default, and rotate the key that was committed (it stays in git history).',
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#secret-key', 'https://flask.palletsprojects.com/en/latest/config/#SECRET_KEY', 'https://cwe.mitre.org/data/definitions/798.html'],
    },
  },
  callNames: ['update', 'from_mapping', 'setdefault'],
  visit: {
    assignment: check,
    call: check,
  },
});
