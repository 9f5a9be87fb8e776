/**
 * One harness for every rule fixture: the exact set of lines a rule flags must equal the lines annotated
 * `# ruleid: <ID>`, and no `# ok: <ID>` line may be flagged.
 *
 * - Python rules: test/fixtures/rules/<ID>.py, or a directory <ID>/ of modules each analysed on its own under
 *   its path (a Django settings package beside the code).
 * - Dependency-file rules (a `dependencies` hook and no visitors): the directory test/fixtures/rules/<ID>/,
 *   holding dependency files under their real names (`requirements.txt`, `requirements/prod.txt`,
 *   `pyproject.toml`, ...), scanned together as one tree. Requirements and TOML files carry the same `#`
 *   annotations; a JSON file (`Pipfile.lock`) cannot, so its expectations sit in a sidecar
 *   `<file>.annotations.json` (`{ "ruleid": [lines], "ok": [lines] }`); without one it must stay quiet.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { extractorFor } from '../../src/dependencies/extractors/registry.js';
import { scanDependencies } from '../../src/engine/scan-dependencies.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import type { Rule } from '../../src/rules/rule.js';
import type { FileResult } from '../../src/engine/types.js';
import { analyzeProject, analyzeSource, factsOf } from '../helpers/analyze.js';
import { readAnnotations, type Expectations } from '../helpers/annotations.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/rules');
const SIDECAR = '.annotations.json';

/** A rule that only looks at dependency files. */
const isDependencyRule = (r: Rule) => r.dependencies !== undefined && Object.keys(r.visit).length === 0 && r.file === undefined;
/** A data-flow rule: its fixture is a small project (a directory), since flows cross functions and modules. */
const isFlowRule = (r: Rule) => r.dataflow !== undefined;
const PYTHON_RULES = ALL_RULES.filter((r) => !isDependencyRule(r) && !isFlowRule(r));
const FLOW_RULES = ALL_RULES.filter(isFlowRule);
const DEPENDENCY_RULES = ALL_RULES.filter(isDependencyRule);

const sorted = (lines: Iterable<number>) => [...lines].sort((a, b) => a - b);

/** A Python rule's fixture is `<ID>.py`, or a directory `<ID>/` when it needs several modules (a settings module beside code). */
const hasDirectory = (id: string) => !existsSync(join(FIXTURES, `${id}.py`)) && existsSync(join(FIXTURES, id));
const SINGLE_FILE_RULES = PYTHON_RULES.filter((r) => !hasDirectory(r.meta.id));
const DIRECTORY_RULES = PYTHON_RULES.filter((r) => hasDirectory(r.meta.id));

describe.each(SINGLE_FILE_RULES.map((r) => [r.meta.id, r.meta.name]))('%s %s', (id) => {
  const file = join(FIXTURES, `${id}.py`);

  it('has an annotated fixture with findings and near-misses', () => {
    expect(existsSync(file)).toBe(true);
    const expected = readAnnotations(readFileSync(file, 'utf8'), id);
    expect(expected.flagged.size).toBeGreaterThan(0);
    expect(expected.quiet.size).toBeGreaterThan(0);
  });

  it('flags exactly the annotated lines', async () => {
    if (!existsSync(file)) return;
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    const expected = readAnnotations(text, id);
    const result = await analyzeSource(new Uint8Array(bytes), `${id}.py`);
    expect(result.errors.filter((e) => e.kind !== 'syntax')).toEqual([]);
    const flagged = sorted(new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine)));
    expect(flagged).toEqual(sorted(expected.flagged));
    for (const line of expected.quiet) expect(flagged).not.toContain(line);
  });
});

/** Every file under `dir`, as `/`-separated paths relative to `root`. */
function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, root) : [relative(root, full).split(/[\\/]/).join('/')];
  });
}

function expectationsFor(dir: string, path: string, text: string, id: string): Expectations {
  const sidecar = join(dir, path + SIDECAR);
  if (!existsSync(sidecar)) return /\.(json|lock)$/.test(path) && text.trimStart().startsWith('{') ? { flagged: new Set(), quiet: new Set(), todo: 0 } : readAnnotations(text, id);
  const data = JSON.parse(readFileSync(sidecar, 'utf8')) as Record<string, Record<string, number[]>>;
  return { flagged: new Set(data[id]?.ruleid ?? []), quiet: new Set(data[id]?.ok ?? []), todo: 0 };
}

describe.each(DEPENDENCY_RULES.map((r) => [r.meta.id, r.meta.name, r] as const))('%s %s (dependency files)', (id, _name, rule) => {
  const dir = join(FIXTURES, id);
  const files = existsSync(dir) ? listFiles(dir).filter((p) => !p.endsWith(SIDECAR)).sort() : [];
  const texts = new Map(files.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
  const expectations = new Map(files.map((p) => [p, expectationsFor(dir, p, texts.get(p)!, id)]));

  it('has a fixture directory of real dependency files, with findings and near-misses', () => {
    expect(existsSync(dir)).toBe(true);
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) expect([path, extractorFor(path) !== undefined]).toEqual([path, true]);
    const all = [...expectations.values()];
    expect(all.reduce((n, e) => n + e.flagged.size, 0)).toBeGreaterThan(0);
    expect(all.reduce((n, e) => n + e.quiet.size, 0)).toBeGreaterThan(0);
  });

  it.each(files.length ? files : ['(none)'])('flags exactly the annotated lines of %s', async (path) => {
    if (!texts.has(path)) return;
    // The whole directory is one tree, as in a whole-tree scan (every line counts as added).
    const scan = await scanDependencies(
      files.map((p) => ({ path: p, status: 'added' as const, head: texts.get(p)! })),
      { config: DEFAULT_CONFIG, rules: [rule], today: '2026-01-01' },
    );
    expect(scan.errors).toEqual([]);
    expect(scan.findings.filter((f) => f.ruleId === 'PW500')).toEqual([]);
    expect(scan.status.state).toBe('disabled');
    const expected = expectations.get(path)!;
    const flagged = sorted(new Set(scan.findings.filter((f) => f.ruleId === id && f.location.path === path).map((f) => f.location.startLine)));
    expect(flagged).toEqual(sorted(expected.flagged));
    for (const line of expected.quiet) expect(flagged).not.toContain(line);
  });
});

/**
 * Python rules with a fixture directory: each file is analysed under its path (`shop/settings/test.py`), with
 * the project facts of the whole directory (its manage.py, wsgi.py, pytest.ini, sibling settings modules), as
 * a whole-tree scan of it would.
 */
describe.each(DIRECTORY_RULES.map((r) => [r.meta.id, r.meta.name] as const))('%s %s (fixture directory)', (id) => {
  const dir = join(FIXTURES, id);
  const files = listFiles(dir).filter((p) => p.endsWith('.py')).sort();
  let facts: ReturnType<typeof factsOf> | undefined;
  const project = () => (facts ??= factsOf(listFiles(dir).map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }))));

  it('has annotated files with findings and near-misses', () => {
    const all = files.map((p) => readAnnotations(readFileSync(join(dir, p), 'utf8'), id));
    expect(all.reduce((n, e) => n + e.flagged.size, 0)).toBeGreaterThan(0);
    expect(all.reduce((n, e) => n + e.quiet.size, 0)).toBeGreaterThan(0);
  });

  it.each(files)('flags exactly the annotated lines of %s', async (path) => {
    const bytes = readFileSync(join(dir, path));
    const expected = readAnnotations(bytes.toString('utf8'), id);
    const result = await analyzeSource(new Uint8Array(bytes), path, undefined, await project());
    expect(result.errors.filter((e) => e.kind !== 'syntax')).toEqual([]);
    const flagged = sorted(new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine)));
    expect(flagged).toEqual(sorted(expected.flagged));
    for (const line of expected.quiet) expect(flagged).not.toContain(line);
  });
});

/**
 * Data-flow rules: test/fixtures/rules/<ID>/ is a small project (Flask, Django, FastAPI... modules that import
 * each other), analysed as one whole-tree scan: every file's flagged lines must be exactly its `# ruleid:` lines.
 */
describe.each(FLOW_RULES.map((r) => [r.meta.id, r.meta.name] as const))('%s %s (data flow)', (id) => {
  const dir = join(FIXTURES, id);
  const files = existsSync(dir) ? listFiles(dir).filter((p) => p.endsWith('.py')).sort() : [];
  const texts = new Map(files.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
  let scanned: Promise<FileResult[]> | undefined;
  const scan = () => (scanned ??= analyzeProject(files.map((p) => ({ path: p, text: texts.get(p)! }))));

  it('has a fixture project with findings and near-misses', () => {
    expect(files.length).toBeGreaterThan(0);
    const all = files.map((p) => readAnnotations(texts.get(p)!, id));
    expect(all.reduce((n, e) => n + e.flagged.size, 0)).toBeGreaterThan(0);
    expect(all.reduce((n, e) => n + e.quiet.size, 0)).toBeGreaterThan(0);
  });

  it.each(files.length ? files : ['(none)'])('flags exactly the annotated lines of %s', async (path) => {
    if (!texts.has(path)) return;
    const results = await scan();
    const result = results.find((r) => r.path === path)!;
    expect(result.errors.filter((e) => e.kind !== 'syntax')).toEqual([]);
    const expected = readAnnotations(texts.get(path)!, id);
    const flagged = sorted(new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine)));
    expect(flagged).toEqual(sorted(expected.flagged));
    for (const line of expected.quiet) expect(flagged).not.toContain(line);
  });
});
