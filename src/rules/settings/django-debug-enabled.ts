import { truthy } from '../arguments.js';
import { replaceNode } from '../fixes.js';
import { defineRule } from '../rule.js';
import { effectiveValue, fallbackNote, settingValue } from './setting-values.js';
import { inheritedNote, settingWrites } from './setting-writes.js';

const KEYS = new Set(['DEBUG']);

export const djangoDebugEnabled = defineRule({
  meta: {
    id: 'PW201',
    name: 'django-debug-enabled',
    severity: 'high',
    confidence: 'medium',
    cwe: 489,
    doc: {
      summary: 'DEBUG = True in a Django settings module that servers use',
      why: 'With DEBUG on, every error page shows the stack trace, local variables, the SQL queries and most settings (Django hides only names that look secret), and a 404 lists every URL pattern. Django also keeps every SQL query in memory and serves errors slowly. An attacker who can trigger an error learns the code, paths, database layout and often credentials in URLs or variables. DEBUG in a development or test settings module, and DEBUG read from the environment, stay quiet; a fallback of True when the variable is missing is flagged, since that is what a server gets when someone forgets it. Which modules are settings, and for which environment, comes from the project: a module that sets several of Django\'s settings, builds on a base module (`from .base import *`), or that `DJANGO_SETTINGS_MODULE` names (manage.py, wsgi.py, asgi.py, pytest or tox configuration). The module a WSGI/ASGI entry point names is what servers run (production, whatever its name), one only pytest\'s configuration names is for tests, a generically named `settings.py` that a deployed module builds on is a base; otherwise the path decides (`settings/dev.py`, `settings/production.py`). A base module\'s value reaches production only through the modules that build on it: DEBUG = True in `settings/base.py` stays quiet when every production module sets DEBUG again, and is reported, naming the production modules that keep it, when one does not (at low confidence when no production module is known). Reviews read the files that name or build on a changed settings module at the head commit.',
      bad: '# settings/production.py\nfrom .base import *\nDEBUG = True\n\n# settings.py\nDEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"',
      good: '# settings/production.py\nfrom .base import *\nDEBUG = False\n\n# settings.py\nDEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"\nDEBUG = env.bool("DJANGO_DEBUG", default=False)',
      fix: 'Set DEBUG = False in the settings servers use (or read it from the environment with a False default); turn it on only in a development settings module.',
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#debug', 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug', 'https://cwe.mitre.org/data/definitions/489.html'],
      banditDifferences: 'Not a Bandit check. Flask debug mode (`app.run(debug=True)`, `app.config["DEBUG"] = True`) stays Bandit\'s B201, which already flags those lines; PW201 is about Django settings modules only, so one line never gets two entries.',
    },
  },
  visit: {
    assignment(node, ctx) {
      for (const w of settingWrites(node, ctx, KEYS)) {
        if (w.framework !== 'django' || w.role === 'development' || w.role === 'test') continue;
        const v = settingValue(ctx, w.value);
        const e = effectiveValue(v);
        if (!e || truthy(e.value) !== true) continue;
        // A base module's value reaches servers only through modules that build on it: known heirs that keep
        // it make it as likely as a production module's own; without any known, it is a guess (low).
        const base = w.role === 'base';
        ctx.report(w.at, {
          message: `DEBUG is True in ${base ? (w.inheritedBy ? 'a base settings module' : 'a base settings module, so every settings module that does not set it again runs with it') : 'a settings module that servers use'}${fallbackNote(v)}${inheritedNote(w)}: error pages then show stack traces, local variables, SQL and settings to anyone who can cause an error. Set DEBUG = False here and turn it on only in a development settings module.`,
          ...(base && !w.inheritedBy ? { confidence: 'low' as const } : {}),
          fix: w.value.type === 'true' ? replaceNode(w.value, 'False', 'Set DEBUG = False') : { description: 'Make the value False when the environment variable is not set.' },
        });
      }
    },
  },
});
