import type { Rule } from '../rule.js';
import { djangoMarkSafe } from './django-mark-safe.js';
import { jinja2AutoescapeFalse } from './jinja2-autoescape-false.js';
import { useOfMakoTemplates } from './mako-templates.js';
import { markupsafeMarkupXss } from './markupsafe-markup-xss.js';

/** B7xx: cross-site scripting and templating. */
export const xssRules: Rule[] = [jinja2AutoescapeFalse, useOfMakoTemplates, djangoMarkSafe, markupsafeMarkupXss];
