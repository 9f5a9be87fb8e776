import { defineRule } from '../rule.js';
import { isSwallowingExcept } from './common.js';

export const tryExceptPass = defineRule({
  meta: {
    id: 'B110',
    name: 'try_except_pass',
    severity: 'low',
    confidence: 'high',
    cwe: 703,
    options: { check_typed_exception: false },
    doc: {
      summary: 'try/except/pass: an exception handler that silently swallows errors',
      why: 'An `except: pass` hides every failure in its try block, including the ones that matter for security: a failed permission check, a signature that did not verify, a connection that fell back to an insecure default. Attacks and bugs go unnoticed because nothing is logged.',
      bad: 'try:\n    verify_signature(payload, signature)\nexcept Exception:\n    pass',
      good: 'try:\n    cache.delete(key)\nexcept CacheMiss:\n    logger.debug("nothing cached for %s", key)',
      fix: 'Catch only the exception you expect and handle or log it; for a deliberate ignore use `contextlib.suppress(SpecificError)`.',
      references: ['https://cwe.mitre.org/data/definitions/703.html', 'https://docs.python.org/3/library/contextlib.html#contextlib.suppress'],
      banditDifferences: 'Also treats `except BaseException`, a tuple that contains Exception or BaseException (`except (ValueError, Exception):`) and `builtins.Exception` as broad, and `...` as a body equivalent to `pass`; Bandit only exempts-or-flags the bare name `Exception`. A local class named `Exception` is not the built-in.',
    },
  },
  visit: {
    except_clause(node, ctx) {
      if (!isSwallowingExcept(node, ctx, 'pass_statement', ctx.options.check_typed_exception === true)) return;
      ctx.report(node, {
        message: 'This except clause silently discards every error from the try block, so failures (including failed security checks) go unnoticed; catch the specific exception you expect and log or handle it, or use contextlib.suppress(SpecificError).',
      });
    },
  },
});
