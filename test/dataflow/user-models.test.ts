/** The team's own flow models (`dataflow:` in .github/pyward.yml): validated like every key, and used. */
import { parseConfig } from '../../src/config/schema.js';
import { analyzeProject } from '../helpers/analyze.js';

const CODE = `from myapp.http import current_request
from myapp.db import run_sql
from myapp.security import clean_sql


def report():
    name = current_request.args["name"]
    run_sql("SELECT * FROM t WHERE n = '" + name + "'")
    run_sql("SELECT * FROM t WHERE n = '" + clean_sql(name) + "'")
`;

describe('dataflow config', () => {
  it.each([
    ['dataflow:\n  sources: [myapp.http.current_request.args]\n', true],
    ['dataflow:\n  sources: [myapp.io.read_input()]\n', true],
    ['dataflow:\n  sinks:\n    PW101: [myapp.db.run_sql, "myapp.db.run:sql", "myapp.db.exec:1"]\n', true],
    ['dataflow:\n  sanitizers: [myapp.security.clean, {name: myapp.security.clean_sql, rules: [PW101]}]\n', true],
    ['dataflow:\n  enabled: false\n', true],
    ['dataflow:\n  sinks:\n    PW999: [myapp.db.run_sql]\n', false],
    ['dataflow:\n  sinks:\n    PW101: ["not a name"]\n', false],
    ['dataflow:\n  sources: ["os.environ[0]"]\n', false],
    ['dataflow:\n  sanitizers: [{name: myapp.clean, rules: []}]\n', false],
    ['dataflow:\n  sink: {}\n', false],
  ])('%s -> valid: %s', (yaml, valid) => {
    const parsed = parseConfig(yaml);
    expect(parsed.ok).toBe(valid);
    if (!parsed.ok) expect(parsed.errors[0].key).toMatch(/^dataflow/);
  });

  it('user sources, sinks and sanitisers are used like the shipped ones', async () => {
    const parsed = parseConfig('dataflow:\n  sources: [myapp.http.current_request.args]\n  sinks:\n    PW101: [myapp.db.run_sql]\n  sanitizers:\n    - {name: myapp.security.clean_sql, rules: [PW101]}\n');
    if (!parsed.ok) throw new Error('config');
    const [result] = await analyzeProject([{ path: 'reports.py', text: CODE }], parsed.config);
    const pw = result.findings.filter((f) => f.ruleId === 'PW101');
    expect(pw.map((f) => f.location.startLine)).toEqual([8]);
    expect(pw[0].message).toContain('`current_request.args["name"]`');
    expect(pw[0].properties?.sink).toContain('declared in the configuration');
  });

  it('without them the same code is quiet', async () => {
    const [result] = await analyzeProject([{ path: 'reports.py', text: CODE }]);
    expect(result.findings.filter((f) => f.ruleId === 'PW101')).toEqual([]);
  });
});
