/** PW401-PW403 on Python: B105-B107 pairing (one entry in reviews), messages and snippets redacted. */
import { oneEntryPerProblem } from '../../../src/report/flow-steps.js';
import { analyzeSource } from '../../helpers/analyze.js';
import { fakeCredentials } from '../../helpers/fake-credentials.js';

const F = fakeCredentials();

describe('PW4xx on Python string literals', () => {
  it.each([
    ['B105', `GITHUB_TOKEN = "${F.ghp}"\n`, 'PW401'],
    ['B106', `client = connect(password="${F.stripeLive}")\n`, 'PW401'],
    ['B107', `def connect(token="${F.npm}"):\n    pass\n`, 'PW401'],
    ['B105', `DB_PASSWORD = "postgresql://shop:Vq8rT2mZk4Lp@db.internal.shop.io/shop"\n`, 'PW403'],
  ])('covers %s on the same literal: one entry in reviews', async (bandit, code, id) => {
    const { findings } = await analyzeSource(code);
    expect(findings.find((f) => f.ruleId === id)?.covers).toEqual([bandit]);
    expect(findings.find((f) => f.ruleId === bandit)?.coveredBy).toBe(id);
    expect(oneEntryPerProblem(findings).map((f) => f.ruleId)).toEqual([id]);
  });

  it('# nosec B105 silences both', async () => {
    const result = await analyzeSource(`GITHUB_TOKEN = "${F.ghp}"  # nosec B105\n`);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((f) => f.ruleId).sort()).toEqual(['B105', 'PW401']);
  });

  it('finds a credential whatever the name (B105 is silent on `cfg`)', async () => {
    const { findings } = await analyzeSource(`cfg = {"endpoint": "${F.slackWebhook}"}\n`);
    expect(findings.map((f) => f.ruleId)).toEqual(['PW401']);
  });

  it('the message names the kind, shows it redacted and says to revoke it; nothing holds the raw value', async () => {
    const result = await analyzeSource(`import requests\nrequests.get("https://api.github.com/user", headers={"Authorization": "token ${F.gho}"})\n`);
    const pw = result.findings.find((f) => f.ruleId === 'PW401')!;
    expect(pw.message).toContain(`GitHub OAuth access token (\`gho_…${F.gho.slice(-4)}\`)`);
    expect(pw.message).toMatch(/Revoke or rotate it now: deleting the line is not enough, the value stays in the git history/);
    // B113 (no timeout) is on the same line: its snippet must not show the token either.
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['B113', 'PW401']);
    expect(JSON.stringify(result)).not.toContain(F.gho.slice(4));
  });

  it('bytes, and a token split over an implicit concatenation across lines', async () => {
    const code = `TOKEN = (\n    b"${F.npm.slice(0, 10)}"\n    b"${F.npm.slice(10)}"\n)\n`;
    const { findings } = await analyzeSource(code);
    expect(findings.filter((f) => f.ruleId === 'PW401').map((f) => f.location.startLine)).toEqual([2]);
  });
});
