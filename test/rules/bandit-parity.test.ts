/**
 * Parity with Bandit, without Bandit at test time. scripts/bandit/record-parity.mjs ran the current Bandit
 * and Debian's Bandit 1.6.2 over test/fixtures/rules/*.py and recorded what each reported in
 * bandit-results.json. Here, for each fixture <ID>.py and that rule id only, the lines pyward flags must
 * equal the lines the current Bandit flagged, except for the differences listed, each with a reason, in
 * bandit-differences.json; a listed difference that no longer exists fails too, so the list cannot go stale.
 * A human-readable table: node scripts/bandit/diff-report.mjs
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../src/rules/registry.js';
import { analyzeSource } from '../helpers/analyze.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/rules');
const RERECORD = 're-run `node scripts/bandit/record-parity.mjs` (Bandit set up by scripts/bandit/setup.sh)';

type Pairs = [line: number, testId: string][];
interface Recording {
  banditVersions: { current: string; debian: string };
  python: string;
  banditTests: { current: string[]; debian: string[] };
  results: Record<string, { sha256: string; current: Pairs; debian: Pairs }>;
  errors: Record<string, Record<string, string>>;
}
interface Difference {
  line: number;
  bandit: boolean;
  pyward: boolean;
  /** The flagged line's code, so `diff-report.mjs --json` can carry the reason over when lines shift. */
  code?: string;
  why: string;
}

const recording = JSON.parse(readFileSync(join(FIXTURES, 'bandit-results.json'), 'utf8')) as Recording;
const differences = JSON.parse(readFileSync(join(FIXTURES, 'bandit-differences.json'), 'utf8')) as Record<string, Difference[]>;

const pywardIds = new Set(ALL_RULES.map((r) => r.meta.id));
const fixtureFiles = readdirSync(FIXTURES).filter((f) => /^B\d{3}\.py$/.test(f)).sort();
const idOf = (file: string) => file.slice(0, -'.py'.length);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(join(FIXTURES, file))).digest('hex');
const isFresh = (file: string) => recording.results[file]?.sha256 === sha256(file);
const linesOf = (pairs: Pairs, id: string) => [...new Set(pairs.filter(([, t]) => t === id).map(([l]) => l))].sort((a, b) => a - b);

/** Fixtures of Bandit ids that pyward has and the current Bandit has too (Bandit dropped e.g. B309, B322, B410). */
const comparable = fixtureFiles.filter((f) => pywardIds.has(idOf(f)) && recording.banditTests.current.includes(idOf(f)));

async function pywardLines(file: string): Promise<number[]> {
  const result = await analyzeSource(new Uint8Array(readFileSync(join(FIXTURES, file))), file);
  return [...new Set(result.findings.filter((f) => f.ruleId === idOf(file)).map((f) => f.location.startLine))].sort((a, b) => a - b);
}

const key = (d: Pick<Difference, 'line' | 'bandit' | 'pyward'>) => `line ${d.line}: bandit ${d.bandit ? 'flags' : 'quiet'}, pyward ${d.pyward ? 'flags' : 'quiet'}`;

describe(`parity with Bandit ${recording.banditVersions.current} (python ${recording.python})`, () => {
  it('the recording is up to date with the fixtures', () => {
    const stale = fixtureFiles.filter((f) => !isFresh(f));
    if (stale.length) throw new Error(`bandit-results.json does not match ${stale.join(', ')}: ${RERECORD}`);
  });

  it('every listed difference names a recorded fixture, a real difference and a reason', () => {
    const problems: string[] = [];
    for (const [file, list] of Object.entries(differences)) {
      if (!recording.results[file]) problems.push(`${file}: no such recorded fixture`);
      for (const d of list) {
        if (d.bandit === d.pyward) problems.push(`${file} line ${d.line}: not a difference`);
        if (typeof d.why !== 'string' || d.why.trim().length < 10) problems.push(`${file} line ${d.line}: no reason given`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe.each(comparable.map((f) => [idOf(f), f]))('%s', (id, file) => {
    it('flags the lines the current Bandit flags, except the listed differences', async () => {
      if (!isFresh(file)) return; // reported once above
      const bandit = linesOf(recording.results[file].current, id);
      const pyward = await pywardLines(file);
      const actual = [...new Set([...bandit, ...pyward])]
        .sort((a, b) => a - b)
        .map((line) => ({ line, bandit: bandit.includes(line), pyward: pyward.includes(line) }))
        .filter((d) => d.bandit !== d.pyward)
        .map(key);
      const listed = (differences[file] ?? []).slice().sort((a, b) => a.line - b.line).map(key);
      expect(actual).toEqual(listed);
    });
  });
});

/**
 * On Python 3.8+ Debian's Bandit 1.6.2 never reports B104, B105, B108 and B608: those checks visit `ast.Str`
 * nodes (`@test.checks('Str')`), which the parser no longer produces (strings are `ast.Constant`). Measured on
 * Python 3.11.2 with the fixtures in this directory: all four are silent, and only they are. A reason to
 * compare against the current Bandit, and to tell users of distribution Bandit packages why pyward reports more.
 */
const SILENT_IN_1_6_2 = ['B104', 'B105', 'B108', 'B608'];

describe(`Debian's Bandit ${recording.banditVersions.debian}`, () => {
  it('is silent, on its own fixture, exactly for the ids whose checks visit ast.Str', () => {
    const silent = fixtureFiles
      .map(idOf)
      .filter((id) => recording.banditTests.debian.includes(id) && recording.results[`${id}.py`])
      .filter((id) => linesOf(recording.results[`${id}.py`].current, id).length > 0)
      .filter((id) => linesOf(recording.results[`${id}.py`].debian, id).length === 0);
    const expected = SILENT_IN_1_6_2.filter((id) => recording.results[`${id}.py`]?.current.some(([, t]) => t === id));
    console.log(`Bandit ${recording.banditVersions.debian} on python ${recording.python} never reports, on its fixture: ${silent.join(', ') || '(none)'}`);
    expect(silent).toEqual(expected);
  });
});
