/**
 * One data-flow finding, every output: the text report, JSON, SARIF (schema-valid, with codeFlows) and the
 * github-review output of `scan --diff` must tell the same path from the same source to the same sink.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeTree } from '../helpers/cli.js';

const requireFromJestSarif = createRequire(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json'));
const Ajv = requireFromJestSarif('ajv');
const ajv = new Ajv({ schemaId: 'auto', validateSchema: false, allErrors: true });
ajv.addMetaSchema(requireFromJestSarif('ajv/lib/refs/json-schema-draft-04.json'));
const validateSarif = ajv.compile(requireFromJestSarif('./lib/schemas/sarif-2.1.0-rtm.5.json'));

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV });

const HELPER = `def find_user(db, name):
    query = "SELECT * FROM users WHERE name = '" + name + "'"
    return db.execute(query).fetchall()
`;
const VIEW = `import sqlite3
from flask import Flask, request
from .users import find_user

app = Flask(__name__)


@app.route("/users")
def users():
    name = request.args.get("name")
    return {"users": find_user(sqlite3.connect("app.db"), name)}
`;

/** Expected path: source, the name, the call into the helper, the helper's parameter, the query, the sink. */
const STEPS = [
  ['app/views.py', 10, 'request.args.get("name")'],
  ['app/views.py', 10, 'name'],
  ['app/views.py', 11, 'find_user(sqlite3.connect("app.db"), name)'],
  ['app/users.py', 1, 'name'],
  ['app/users.py', 2, 'query'],
  ['app/users.py', 3, 'db.execute(query)'],
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyward-flow-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeTree(dir, { 'app/__init__.py': '', 'app/users.py': HELPER, 'app/views.py': VIEW });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
});

describe('a data-flow finding in every output', () => {
  it('JSON: the finding with its steps, and the Bandit finding it covers', async () => {
    const run = await runCli(['scan', '.', '--format', 'json', '--select', 'PW101,B608'], dir);
    const report = JSON.parse(run.stdout);
    const pw = report.findings.find((f: any) => f.ruleId === 'PW101');
    expect(pw.location).toMatchObject({ path: 'app/users.py', startLine: 3 });
    expect(pw.flow.map((s: any) => [s.location.path, s.location.startLine, s.label])).toEqual(STEPS);
    expect(pw.covers).toEqual(['B608']);
    expect(report.findings.find((f: any) => f.ruleId === 'B608').coveredBy).toBe('PW101');
  });

  it('SARIF: schema-valid, with a codeFlow whose thread flow is the same path', async () => {
    const run = await runCli(['scan', '.', '--format', 'sarif', '--select', 'PW101,B608'], dir);
    const log = JSON.parse(run.stdout);
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'PW101');
    const steps = result.codeFlows[0].threadFlows[0].locations.map((l: any) => [l.location.physicalLocation.artifactLocation.uri, l.location.physicalLocation.region.startLine, l.location.message.text]);
    expect(steps).toEqual(STEPS);
    expect(result.codeFlows[0].threadFlows[0].locations[0].kinds).toEqual(['source']);
    expect(result.codeFlows[0].threadFlows[0].locations.at(-1).kinds).toEqual(['sink']);
  });

  it('text: the steps indented under the finding', async () => {
    const run = await runCli(['scan', '.', '--select', 'PW101'], dir);
    const lines = run.stdout.split('\n');
    const start = lines.findIndex((l) => l.includes('flow:'));
    expect(lines.slice(start, start + STEPS.length).map((l) => l.replace(/^\s+(flow:)?\s+/, '').split(/\s+/)[0])).toEqual(STEPS.map(([p, l]) => `${p}:${l}`));
    expect(run.stdout).toContain('reaches `db.execute(query)` (app/users.py:3) through `find_user()`');
  });

  it('github-review: a PR adding the view gets one comment on its call line, listing the same steps', async () => {
    git(dir, 'checkout', '-q', '-b', 'pr');
    writeTree(dir, { 'app/views.py': `${VIEW}\n\n@app.route("/admins")\ndef admins():\n    return {"admins": find_user(sqlite3.connect("app.db"), request.args["who"])}\n` });
    git(dir, 'commit', '-qam', 'admins');
    git(dir, 'checkout', '-q', 'main');
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const { checkRun, review } = JSON.parse(run.stdout);
    const comments = review.comments.filter((c: any) => c.body.includes('PW101'));
    expect(comments.map((c: any) => [c.path, c.line])).toEqual([['app/views.py', 16]]);
    expect(comments[0].body).toContain('1. `request.args["who"]` [app/views.py:16]');
    expect(comments[0].body).toContain('`db.execute(query)` [app/users.py:3]');
    expect(review.comments.some((c: any) => c.body.includes('`B608`') && !c.body.includes('PW101'))).toBe(false);
    expect(checkRun.summary).toContain('`request.args["who"]` (app/views.py:16) → `db.execute(query)` (app/users.py:3)');
  });
});
