/**
 * PW401-PW403 in configuration files: test/fixtures/secrets/ holds a `.env`, docker-compose and CI YAML, a
 * Google service-account JSON, INI, TOML and `.properties` files, annotated like the rule fixtures (`# ruleid:`
 * / `# ok:`; the JSON file in a sidecar). Credentials are `@@name@@` markers filled in with fakes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddedLines } from '../../src/diff/patch.js';
import { isConfigFile, scanConfigFiles } from '../../src/engine/scan-config-files.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { readAnnotations, type Expectations } from '../helpers/annotations.js';
import { expandFakes, rawValues } from '../helpers/fake-credentials.js';

const DIR = join(process.cwd(), 'test/fixtures/secrets');
const SIDECAR = '.annotations.json';
const files = readdirSync(DIR).filter((f) => !f.endsWith(SIDECAR)).sort();
const texts = new Map(files.map((f) => [f, expandFakes(readFileSync(join(DIR, f), 'utf8'))]));
const IDS = ['PW401', 'PW402', 'PW403'];

function expectations(file: string, id: string): Expectations {
  const sidecar = join(DIR, file + SIDECAR);
  if (!existsSync(sidecar)) return readAnnotations(texts.get(file)!, id);
  const data = JSON.parse(readFileSync(sidecar, 'utf8')) as Record<string, Record<string, number[]>>;
  return { flagged: new Set(data[id]?.ruleid ?? []), quiet: new Set(data[id]?.ok ?? []), todo: 0 };
}

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
const whole = scanConfigFiles(files.map((f) => ({ path: f, status: 'added' as const, head: texts.get(f)! })), { rules: ALL_RULES });

describe('configuration file fixtures', () => {
  it('every fixture is a configuration file, and they hold findings and near-misses of each rule', () => {
    expect(files.filter((f) => !isConfigFile(f))).toEqual([]);
    for (const id of IDS) {
      expect(files.reduce((n, f) => n + expectations(f, id).flagged.size, 0)).toBeGreaterThan(0);
      expect(files.reduce((n, f) => n + expectations(f, id).quiet.size, 0)).toBeGreaterThan(0);
    }
  });

  describe.each(files)('%s', (file) => {
    it.each(IDS)('%s flags exactly the annotated lines', (id) => {
      const expected = expectations(file, id);
      const flagged = sorted(new Set(whole.findings.filter((f) => f.ruleId === id && f.location.path === file).map((f) => f.location.startLine)));
      expect(flagged).toEqual(sorted(expected.flagged));
    });
  });

  it('no finding holds a raw credential: messages and snippets show prefix and last four only', () => {
    const out = JSON.stringify(whole);
    for (const value of rawValues()) expect(out).not.toContain(value);
    const github = whole.findings.find((f) => f.location.path === '.env' && f.message.includes('GitHub'))!;
    expect(github.snippet).toMatch(/^GITHUB_TOKEN=ghp_…[A-Za-z0-9]{4}$/);
    expect(github.message).toMatch(/Revoke or rotate it now/);
  });

  it('the service-account key is named as such', () => {
    expect(whole.findings.find((f) => f.ruleId === 'PW402' && f.location.path === 'service-account.json')?.message).toMatch(/^Hard-coded Google service-account private key \(`-----BEGIN PRIVATE KEY-----…/);
  });
});

describe('in a review', () => {
  it('only lines the change added count; the others are pre-existing', () => {
    const text = texts.get('.env')!;
    const lines = text.split('\n');
    const github = lines.findIndex((l) => l.startsWith('GITHUB_TOKEN=')) + 1;
    const patch = `@@ -${github},0 +${github},1 @@\n+${lines[github - 1]}`;
    const added = AddedLines.fromPatches([{ path: '.env', patch }]);
    const scan = scanConfigFiles([{ path: '.env', status: 'modified', patch, head: text }], { rules: ALL_RULES, added });
    expect(scan.findings.map((f) => f.location.startLine)).toEqual([github]);
    expect(scan.preExisting.length).toBeGreaterThan(3);
  });

  it('a key in a YAML block scalar is reported on its BEGIN line, and its snippet shows no key material', () => {
    const text = expandFakes('deploy:\n  key: |\n    @@pemOpenssh@@\n  host: shop.io\n');
    const scan = scanConfigFiles([{ path: 'deploy.yml', status: 'added', head: text }], { rules: ALL_RULES });
    expect(scan.findings.map((f) => [f.ruleId, f.location.startLine, f.location.endLine])).toEqual([['PW402', 3, text.split('\n').length - 2]]);
    expect(scan.findings[0].snippet).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----…[A-Za-z0-9+/=]{4}$/);
  });

  it('runs only the PW4xx rules that are selected', () => {
    const scan = scanConfigFiles([{ path: '.env', status: 'added', head: texts.get('.env')! }], { rules: ALL_RULES.filter((r) => r.meta.id === 'PW403') });
    expect(new Set(scan.findings.map((f) => f.ruleId))).toEqual(new Set(['PW403']));
  });
});

describe('isConfigFile', () => {
  it.each([
    ['.env', true], ['deploy/.env.production', true], ['prod.env', true], ['docker-compose.yml', true], ['.github/workflows/ci.yaml', true],
    ['config/settings.json', true], ['setup.cfg', true], ['tox.ini', true], ['pyproject.toml', true], ['application.properties', true],
    ['package-lock.json', false], ['app.py', false], ['README.md', false], ['.envrc.sh', false],
  ])('%s: %s', (path, expected) => {
    expect(isConfigFile(path)).toBe(expected);
  });
});
