import type { Rule } from '../rule.js';
import { assertUsed } from './assert-used.js';
import { badFilePermissions } from './bad-file-permissions.js';
import { bindAllInterfaces } from './bind-all-interfaces.js';
import { execUsed } from './exec-used.js';
import { flaskDebugTrue } from './flask-debug-true.js';
import { hardcodedPasswordDefault } from './hardcoded-password-default.js';
import { hardcodedPasswordFuncarg } from './hardcoded-password-funcarg.js';
import { hardcodedPasswordString } from './hardcoded-password-string.js';
import { hardcodedTmpDirectory } from './hardcoded-tmp-directory.js';
import { requestWithoutTimeout } from './request-without-timeout.js';
import { tarfileUnsafeMembers } from './tarfile-unsafe-members.js';
import { tryExceptContinue } from './try-except-continue.js';
import { tryExceptPass } from './try-except-pass.js';

/** B1xx and B2xx: miscellaneous checks and framework settings. */
export const miscRules: Rule[] = [
  assertUsed,
  execUsed,
  badFilePermissions,
  bindAllInterfaces,
  hardcodedPasswordString,
  hardcodedPasswordFuncarg,
  hardcodedPasswordDefault,
  hardcodedTmpDirectory,
  tryExceptPass,
  tryExceptContinue,
  requestWithoutTimeout,
  flaskDebugTrue,
  tarfileUnsafeMembers,
];
