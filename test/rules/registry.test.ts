/**
 * Every rule's shape and documentation, and the registry against the folders on disk: a rule file that is
 * not listed in its family's index, or a family folder missing from RULE_FAMILIES, fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIDENCES, SEVERITIES } from '../../src/engine/types.js';
import { DEFAULT_CONFIG, mergeConfigData, parseConfig, type Config } from '../../src/config/schema.js';
import { ALL_RULES, RULE_FAMILIES, ruleConfigErrors, selectRules } from '../../src/rules/registry.js';
import type { Rule } from '../../src/rules/rule.js';

const RULES_DIR = join(process.cwd(), 'src/rules');
/** A folder under src/rules for helpers shared by families (none yet) is not a family. */
const SHARED_FOLDERS = new Set<string>(['shared']);

const ID = /^(B\d{3}|PW\d{3})$/;
/** snake_case (Bandit keeps capitals in a few names: `xml_bad_cElementTree`) or kebab-case (PW rules). */
const NAME = /^[a-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$|^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Node types that can appear in a tree: supertypes (`expression`, ...) never do, so visiting one is a silent no-op. */
const NODE_TYPES: Set<string> = new Set(
  (JSON.parse(readFileSync(join(process.cwd(), 'node_modules/tree-sitter-python/src/node-types.json'), 'utf8')) as { type: string; subtypes?: unknown }[])
    .filter((t) => !t.subtypes)
    .map((t) => t.type),
);

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && 'meta' in value && 'visit' in value;
}

describe('the registry', () => {
  it('has rules', () => {
    expect(ALL_RULES.length).toBeGreaterThan(0);
  });

  it('has unique ids and names', () => {
    expect(duplicates(ALL_RULES.map((r) => r.meta.id))).toEqual([]);
    // Names are matched case-insensitively in configs and `# nosec` comments.
    expect(duplicates(ALL_RULES.map((r) => r.meta.name.toLowerCase()))).toEqual([]);
  });

  it('lists each rule in exactly one family', () => {
    const all = Object.values(RULE_FAMILIES).flat();
    expect(all.length).toBe(new Set(all).size);
    expect(ALL_RULES.length).toBe(all.length);
  });

  it('is ordered by id', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('rules.select / disable / enable', () => {
  const ids = (rules: Partial<Config['rules']>) => selectRules({ rules: { ...DEFAULT_CONFIG.rules, ...rules } }).map((r) => r.meta.id);

  it('enable wins over disable, and adds to a select', () => {
    expect(ids({ disable: ['B101', 'B311'], enable: ['B101'] })).toContain('B101');
    expect(ids({ disable: ['B101', 'B311'], enable: ['B101'] })).not.toContain('B311');
    expect(ids({ select: ['B6'], enable: ['assert_used'] })).toEqual([...ids({ select: ['B6'] }), 'B101'].sort((a, b) => ALL_RULES.findIndex((r) => r.meta.id === a) - ALL_RULES.findIndex((r) => r.meta.id === b)));
  });

  it('a repository re-enables what its org defaults disable (_extends layering)', () => {
    const org = parseConfig('rules:\n  disable: [B101, B311]\n');
    const repo = parseConfig('rules:\n  enable: [B101]\n');
    expect(org.ok && repo.ok).toBe(true);
    const merged = parseConfig(JSON.stringify(mergeConfigData({ rules: { disable: ['B101', 'B311'] } }, { rules: { enable: ['B101'] } })));
    expect(merged.ok).toBe(true);
    if (merged.ok) {
      expect(selectRules(merged.config).map((r) => r.meta.id)).toContain('B101');
      expect(selectRules(merged.config).map((r) => r.meta.id)).not.toContain('B311');
    }
  });

  it('an unknown id in enable is a config error', () => {
    expect(ruleConfigErrors({ rules: { ...DEFAULT_CONFIG.rules, enable: ['B9999'] } })).toEqual([{ key: 'rules.enable', message: 'unknown rule id or name: B9999 (pyward rules lists them)' }]);
  });
});

describe('rule families match the folders in src/rules', () => {
  const folders = readdirSync(RULES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !SHARED_FOLDERS.has(e.name))
    .map((e) => e.name)
    .sort();

  it('every family folder has an index.ts and a RULE_FAMILIES entry, and every entry a folder', () => {
    expect(folders.filter((f) => !existsSync(join(RULES_DIR, f, 'index.ts')))).toEqual([]);
    expect(Object.keys(RULE_FAMILIES).sort()).toEqual(folders);
  });

  it.each(folders)('%s: RULE_FAMILIES holds what its index.ts exports, and every rule file in it is listed', async (folder) => {
    const family = RULE_FAMILIES[folder] ?? [];
    const index = (await import(pathToFileURL(join(RULES_DIR, folder, 'index.ts')).href)) as Record<string, unknown>;
    expect(Object.values(index).filter(Array.isArray)).toContain(family);

    const files = readdirSync(join(RULES_DIR, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(folder, f))
      .sort();
    const unlisted: string[] = [];
    for (const file of files) {
      const mod = (await import(pathToFileURL(join(RULES_DIR, file)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (isRule(value) && !family.includes(value)) unlisted.push(`${file}: ${name} (${value.meta.id})`);
      }
    }
    expect(unlisted).toEqual([]);
  });
});

describe.each(ALL_RULES.map((r) => [r.meta.id, r.meta.name, r] as const))('%s %s', (id, name, rule) => {
  const { meta } = rule;

  it('has a well-formed id and name', () => {
    expect(id).toMatch(ID);
    expect(name).toMatch(NAME);
  });

  it.each([['id', id], ['name', name], ['lower-case name', name.toLowerCase()]])('can be selected alone by its %s', (_, word) => {
    const selected = selectRules({ rules: { ...DEFAULT_CONFIG.rules, select: [word], disable: [] } });
    expect(selected.map((r) => r.meta.id)).toEqual([id]);
  });

  it('has a known severity and confidence and a CWE', () => {
    expect(SEVERITIES).toContain(meta.severity);
    expect(CONFIDENCES).toContain(meta.confidence);
    expect(Number.isInteger(meta.cwe) && meta.cwe > 0).toBe(true);
  });

  it.each(['summary', 'why', 'bad', 'good', 'fix'] as const)('documents %s', (key) => {
    expect(typeof meta.doc[key]).toBe('string');
    expect(meta.doc[key].trim()).not.toBe('');
  });

  it('has a one-line summary and fix', () => {
    expect(meta.doc.summary).not.toMatch(/\n/);
    expect(meta.doc.fix).not.toMatch(/\n/);
  });

  it('has references that are URLs, at least one https', () => {
    expect(meta.doc.references.length).toBeGreaterThan(0);
    for (const ref of meta.doc.references) expect(() => new URL(ref)).not.toThrow();
    expect(meta.doc.references.filter((r) => r.startsWith('https://')).length).toBeGreaterThan(0);
    if (meta.doc.banditDifferences !== undefined) expect(meta.doc.banditDifferences.trim()).not.toBe('');
  });

  it('has options that are a plain object, if any', () => {
    if (meta.options === undefined) return;
    expect(Object.getPrototypeOf(meta.options)).toBe(Object.prototype);
  });

  it('visits something: tree-sitter node types, the whole file, dependency files, or data flows', () => {
    const types = Object.entries(rule.visit)
      .filter(([, visit]) => typeof visit === 'function')
      .map(([type]) => type);
    expect(types.length > 0 || typeof rule.file === 'function' || typeof rule.dependencies === 'function' || rule.dataflow !== undefined).toBe(true);
    expect(types.filter((t) => !NODE_TYPES.has(t))).toEqual([]);
  });
});
