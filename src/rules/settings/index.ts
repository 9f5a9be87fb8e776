import type { Rule } from '../rule.js';
import { allowedHostsWildcard } from './allowed-hosts-wildcard.js';
import { corsAnyOriginWithCredentials } from './cors-any-origin-with-credentials.js';
import { csrfProtectionDisabled } from './csrf-protection-disabled.js';
import { djangoDebugEnabled } from './django-debug-enabled.js';
import { exceptionDetailsExposed } from './exception-details-exposed.js';
import { hardCodedSecretKey } from './hard-coded-secret-key.js';
import { insecureCookie } from './insecure-cookie.js';

/** PW2xx: web framework settings (Django settings modules, Flask config, FastAPI/Starlette middleware) and views. */
export const settingsRules: Rule[] = [
  djangoDebugEnabled,
  hardCodedSecretKey,
  csrfProtectionDisabled,
  insecureCookie,
  allowedHostsWildcard,
  corsAnyOriginWithCredentials,
  exceptionDetailsExposed,
];
