/**
 * Bandit-compatible inline suppression: `# nosec`, `#nosec`, `# nosec B602, B607`, `# nosec: B602`,
 * `# nosec subprocess_popen_with_shell_equals_true`. pyward honours the comment on any line of the
 * statement that holds the finding (Bandit only reads the flagged line).
 */

export interface Nosec {
  /** Upper-cased rule ids and lower-cased names; empty = every rule. */
  targets: Set<string>;
  comment: string;
}

const NOSEC = /#\s*nosec\b:?\s*([^#]*)/i;

/**
 * As in Bandit, only words that are rule ids or names count as targets; other words are prose
 * (`# nosec -- reviewed by security`), and a comment with no target silences every rule.
 */
export function parseNosec(comment: string, isRuleWord: (word: string) => boolean): Nosec | undefined {
  const m = NOSEC.exec(comment);
  if (!m) return undefined;
  const targets = new Set<string>();
  for (const raw of m[1].split(/[\s,]+/)) {
    const word = raw.trim();
    // An id-shaped word always narrows the comment, even for a rule this version lacks: never widen it to all.
    if (!word || !(isRuleWord(word) || /^[A-Za-z]{1,3}\d{3,}$/.test(word))) continue;
    targets.add(/^[A-Za-z]{1,3}\d{3,}$/.test(word) ? word.toUpperCase() : word.toLowerCase());
  }
  return { targets, comment: comment.trim() };
}

export function nosecApplies(nosec: Nosec, ruleId: string, ruleName: string): boolean {
  if (nosec.targets.size === 0) return true;
  if (nosec.targets.has(ruleId.toUpperCase()) || nosec.targets.has(ruleName.toLowerCase())) return true;
  // Bandit's umbrella id for every blacklist check
  return nosec.targets.has('B001') && /^B[34]\d\d$/.test(ruleId);
}
