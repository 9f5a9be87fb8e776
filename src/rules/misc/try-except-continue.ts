import { defineRule } from '../rule.js';
import { isSwallowingExcept } from './common.js';

export const tryExceptContinue = defineRule({
  meta: {
    id: 'B112',
    name: 'try_except_continue',
    severity: 'low',
    confidence: 'high',
    cwe: 703,
    options: { check_typed_exception: false },
    doc: {
      summary: 'try/except/continue: a loop that silently skips every item that raises',
      why: 'An `except: continue` in a loop hides every failure for the items it skips, including failed validation or authorisation checks. Nothing is logged, so an attacker who makes some items fail, or a bug that makes all of them fail, goes unnoticed.',
      bad: 'for record in records:\n    try:\n        apply(record)\n    except Exception:\n        continue',
      good: 'for record in records:\n    try:\n        apply(record)\n    except ValidationError:\n        logger.warning("skipping invalid record %s", record.id)\n        continue',
      fix: 'Catch only the exception you expect, and log the item you skip.',
      references: ['https://cwe.mitre.org/data/definitions/703.html'],
      banditDifferences: 'Also treats `except BaseException`, a tuple that contains Exception or BaseException and `builtins.Exception` as broad; Bandit only exempts-or-flags the bare name `Exception`. A local class named `Exception` is not the built-in.',
    },
  },
  visit: {
    except_clause(node, ctx) {
      if (!isSwallowingExcept(node, ctx, 'continue_statement', ctx.options.check_typed_exception === true)) return;
      ctx.report(node, {
        message: 'This except clause silently skips the loop item on any error, so failures (including failed checks) go unnoticed; catch the specific exception you expect and log the item you skip.',
      });
    },
  },
});
