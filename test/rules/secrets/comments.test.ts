/**
 * PW401 and PW402 in Python comments: test/fixtures/secrets-comments/ holds annotated modules whose
 * `@@name@@` markers are filled in with fake credentials. A token in a comment is a leak like any other (it
 * is in the git history); PW403 stays out of comments, and every output shows the redacted form only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../helpers/analyze.js';
import { readAnnotations } from '../../helpers/annotations.js';
import { expandFakes, fakeCredentials, rawValues } from '../../helpers/fake-credentials.js';

const DIR = join(process.cwd(), 'test/fixtures/secrets-comments');
const FILES = readdirSync(DIR).sort();
const F = fakeCredentials();
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

describe.each(FILES)('%s', (file) => {
  const text = expandFakes(readFileSync(join(DIR, file), 'utf8'));

  it.each(['PW401', 'PW402', 'PW403'])('%s flags exactly the annotated lines', async (id) => {
    const result = await analyzeSource(text, `billing/${file}`);
    const expected = readAnnotations(text, id);
    const flagged = sorted(new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine)));
    expect(flagged).toEqual(sorted(expected.flagged));
  });

  it('no output holds a raw credential', async () => {
    // `flows` is the data-flow solver's input (comments included), dropped before any report
    const { flows: _flows, ...result } = await analyzeSource(text, `billing/${file}`);
    const out = JSON.stringify(result);
    for (const value of rawValues()) expect(out.includes(value) ? value : undefined).toBeUndefined();
  });
});

describe('a credential in a comment', () => {
  it('is reported on its own span, says it is in a comment, and shows prefix and last four only', async () => {
    const text = `import os\n\nTOKEN = os.environ["TOKEN"]  # was ${F.ghp}\n`;
    const { findings } = await analyzeSource(text);
    const f = findings.find((x) => x.ruleId === 'PW401')!;
    const column = text.split('\n')[2].indexOf(F.ghp) + 1;
    expect(f.location).toEqual({ path: 'example.py', startLine: 3, startColumn: column, endLine: 3, endColumn: column + F.ghp.length });
    expect(f.message).toMatch(new RegExp(`^Hard-coded GitHub personal access token \\(classic\\) \\(\`ghp_…${F.ghp.slice(-4)}\`\\) in a comment: `));
    expect(f.snippet).toBe(`TOKEN = os.environ["TOKEN"]  # was ghp_…${F.ghp.slice(-4)}`);
  });

  it('a PEM block commented out line by line is one key, reported from its BEGIN line to its END line', async () => {
    const block = F.pemRsa.split('\n').map((l) => `    # ${l}`).join('\n');
    const { findings } = await analyzeSource(`def deploy():\n${block}\n    return None\n`);
    const keys = findings.filter((f) => f.ruleId === 'PW402');
    expect(keys.map((k) => [k.location.startLine, k.location.endLine, k.location.startColumn])).toEqual([[2, F.pemRsa.split('\n').length + 1, 7]]);
    expect(keys[0].snippet).toBe('# -----BEGIN RSA PRIVATE KEY-----');
  });

  it('a comment after code does not join the comments below it', async () => {
    const half = F.ghp.slice(0, 20);
    const { findings } = await analyzeSource(`x = 1  # ${half}\n# ${F.ghp.slice(20)}\n`);
    expect(findings.filter((f) => f.ruleId === 'PW401')).toEqual([]);
  });

  it('# nosec and # pyward: ignore in the same comment silence it, and are recorded', async () => {
    const result = await analyzeSource(`# old token ${F.npm}  # nosec PW401\n# ${F.ghs}  # pyward: ignore[PW401] reason="revoked" until=2099-01-01\n`);
    expect(result.findings.filter((f) => f.ruleId === 'PW401')).toEqual([]);
    expect(result.suppressed.map((f) => [f.ruleId, f.location.startLine, f.suppression.kind])).toEqual([
      ['PW401', 1, 'nosec'],
      ['PW401', 2, 'pyward'],
    ]);
  });

  it('a URL with a password in a comment stays quiet (PW403 reads code only); the same URL in a string is reported', async () => {
    const url = 'postgres://billing:Xk29fjs8Qw@db.internal.shop.io/billing';
    expect((await analyzeSource(`# DATABASE_URL=${url}\n`)).findings).toEqual([]);
    expect((await analyzeSource(`DATABASE_URL = "${url}"\n`)).findings.map((f) => f.ruleId)).toContain('PW403');
  });
});
