/**
 * Semgrep-style fixture annotations: `# ruleid: B602` on the line before code that must be flagged,
 * `# ok: B602` before a near-miss that must not, `# todoruleid:` / `# todook:` for known gaps.
 */
export interface Expectations {
  /** Lines that must carry a finding of the rule. */
  flagged: Set<number>;
  /** Lines that must not. */
  quiet: Set<number>;
  todo: number;
}

const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook)\s*:\s*([A-Za-z0-9_, -]+?)\s*$/;

export function readAnnotations(text: string, ruleId: string): Expectations {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Expectations = { flagged: new Set(), quiet: new Set(), todo: 0 };
  for (let i = 0; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i]);
    if (!m) continue;
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (!ids.includes(ruleId)) continue;
    let target = i + 1;
    while (target < lines.length && (ANNOTATION.test(lines[target]) || lines[target].trim() === '')) target++;
    const line = target + 1;
    switch (m[1]) {
      case 'ruleid':
        out.flagged.add(line);
        break;
      case 'ok':
        out.quiet.add(line);
        break;
      case 'todoruleid': // a known miss: today the line is quiet
        out.quiet.add(line);
        out.todo++;
        break;
      case 'todook': // a known false positive: today the line is flagged
        out.flagged.add(line);
        out.todo++;
        break;
    }
  }
  return out;
}
