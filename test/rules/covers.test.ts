/**
 * A rule that `covers` a Bandit check (PW306 covers B311, PW305 covers B324) on the same call: both findings
 * are kept, the Bandit one marked `coveredBy` so reviews show one entry, and `# nosec` naming the Bandit id
 * (which users already write) silences both.
 */
import { oneEntryPerProblem } from '../../src/report/flow-steps.js';
import { analyzeSource } from '../helpers/analyze.js';

const RESET = 'import random, string\nreset_code = "".join(random.choice(string.digits) for _ in range(6))';

describe('covers', () => {
  it('keeps both findings and shows one entry', async () => {
    const { findings } = await analyzeSource(`${RESET}\n`);
    const pw = findings.find((f) => f.ruleId === 'PW306');
    const bandit = findings.find((f) => f.ruleId === 'B311');
    expect(pw?.covers).toEqual(['B311']);
    expect(bandit?.coveredBy).toBe('PW306');
    expect(oneEntryPerProblem(findings).map((f) => f.ruleId)).toEqual(['PW306']);
  });

  it('leaves a Bandit finding on a call the PW rule does not flag alone', async () => {
    const { findings } = await analyzeSource('import random\ndelay = random.uniform(0, 1)\n');
    expect(findings.map((f) => [f.ruleId, f.coveredBy])).toEqual([['B311', undefined]]);
  });

  it.each(['# nosec B311', '# nosec'])('%s silences both', async (comment) => {
    const result = await analyzeSource(`${RESET}  ${comment}\n`);
    expect(result.findings.filter((f) => f.ruleId === 'PW306' || f.ruleId === 'B311')).toEqual([]);
    expect(result.suppressed.map((f) => f.ruleId).sort()).toEqual(['B311', 'PW306']);
  });

  it('# nosec PW306 silences PW306 only: B311 is then shown on its own', async () => {
    const result = await analyzeSource(`${RESET}  # nosec PW306\n`);
    expect(result.suppressed.map((f) => f.ruleId)).toEqual(['PW306']);
    expect(oneEntryPerProblem(result.findings).map((f) => f.ruleId)).toEqual(['B311']);
  });

  it('PW305 covers B324 on a password hashed with MD5', async () => {
    const { findings } = await analyzeSource('import hashlib\ndigest = hashlib.md5(password.encode()).hexdigest()\n');
    expect(findings.find((f) => f.ruleId === 'B324')?.coveredBy).toBe('PW305');
  });
});
