/**
 * One harness for every rule fixture in test/fixtures/rules/<ID>.py: the exact set of lines the rule flags
 * must equal the lines annotated `# ruleid: <ID>`, and no `# ok: <ID>` line may be flagged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../src/rules/registry.js';
import { analyzeSource } from '../helpers/analyze.js';
import { readAnnotations } from '../helpers/annotations.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/rules');

describe.each(ALL_RULES.map((r) => [r.meta.id, r.meta.name]))('%s %s', (id) => {
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
    const flagged = [...new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine))].sort((a, b) => a - b);
    expect(flagged).toEqual([...expected.flagged].sort((a, b) => a - b));
    for (const line of expected.quiet) expect(flagged).not.toContain(line);
  });
});
