/**
 * Framework recognition from the project, end to end: test/fixtures/projects/ holds small Django and Flask
 * projects (manage.py, wsgi.py, asgi.py, pytest.ini / setup.cfg, split settings packages, Flask config
 * classes, a `.cfg` loaded with `from_pyfile`), annotated like the rule fixtures for every rule id they
 * mention. A whole-tree `pyward scan` of each must flag exactly the annotated lines; a `pyward scan --diff`
 * where one settings file is the whole change must flag the same lines of it, the files that name it or build
 * on it being read at the head commit.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';
import { readAnnotations } from '../helpers/annotations.js';

const ROOT = join(process.cwd(), 'test/fixtures/projects');
const PROJECTS = readdirSync(ROOT).sort();

interface Report {
  findings: { ruleId: string; message: string; confidence: string; location: { path: string; startLine: number } }[];
  errors: { path: string; message: string }[];
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, root) : [relative(root, full).split(/[\\/]/).join('/')];
  });
}

const ANNOTATED_IDS = /^\s*#\s*(?:ruleid|ok|todoruleid|todook)\s*:\s*([A-Za-z0-9_, -]+?)\s*$/gm;

/** Every rule id a file's annotations mention, with the lines each must flag and must not. */
function expectations(text: string): Map<string, { flagged: number[]; quiet: number[] }> {
  const ids = new Set([...text.matchAll(ANNOTATED_IDS)].flatMap((m) => m[1].split(/[\s,]+/).filter(Boolean)));
  return new Map([...ids].map((id) => {
    const e = readAnnotations(text, id);
    return [id, { flagged: [...e.flagged].sort((a, b) => a - b), quiet: [...e.quiet] }];
  }));
}

const linesOf = (report: Report, path: string, id: string) => [...new Set(report.findings.filter((f) => f.location.path === path && f.ruleId === id).map((f) => f.location.startLine))].sort((a, b) => a - b);

const scans = new Map<string, Promise<Report>>();
function scanProject(project: string): Promise<Report> {
  let scan = scans.get(project);
  if (!scan) {
    scan = runCli(['scan', '.', '--format', 'json'], join(ROOT, project)).then((r) => JSON.parse(r.stdout) as Report);
    scans.set(project, scan);
  }
  return scan;
}

const annotated = PROJECTS.flatMap((project) =>
  listFiles(join(ROOT, project))
    .filter((path) => expectations(readFileSync(join(ROOT, project, path), 'utf8')).size > 0)
    .map((path) => [project, path] as const),
);

describe('whole-tree scan of each fixture project', () => {
  it('every project has annotated findings and near-misses', () => {
    for (const project of PROJECTS) {
      const all = annotated.filter(([p]) => p === project).map(([, path]) => [...expectations(readFileSync(join(ROOT, project, path), 'utf8')).values()]).flat();
      expect([project, all.some((e) => e.flagged.length > 0), all.some((e) => e.quiet.length > 0)]).toEqual([project, true, true]);
    }
  });

  it.each(annotated)('%s: %s', async (project, path) => {
    const report = await scanProject(project);
    expect(report.errors.filter((e) => e.path === path)).toEqual([]);
    for (const [id, e] of expectations(readFileSync(join(ROOT, project, path), 'utf8'))) {
      const flagged = linesOf(report, path, id);
      expect([id, flagged]).toEqual([id, e.flagged]);
      for (const line of e.quiet) expect([id, flagged]).not.toContainEqual(line);
    }
  });
});

/** One settings file is the whole change; the rest of the project is in the repository already. */
const REVIEWED: [project: string, path: string][] = [
  ['django-pointers', 'mysite/config/live.py'],
  ['django-pointers', 'mysite/settings/dev.py'],
  ['django-pointers', 'mysite/ci_settings.py'],
  ['django-split', 'config/settings/base.py'],
  ['django-legacy', 'legacy/settings.py'],
  ['flask-config', 'portal/settings.py'],
  ['flask-config', 'portal/instance/prod.cfg'],
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('pyward scan --diff: a settings file is the whole change', () => {
  it.each(REVIEWED)('%s: %s is judged as in the whole tree', async (project, path) => {
    const files = Object.fromEntries(listFiles(join(ROOT, project)).map((p) => [p, readFileSync(join(ROOT, project, p), 'utf8')]));
    const { [path]: changed, ...rest } = files;
    const dir = gitRepo(rest, { [path]: changed });
    dirs.push(dir);
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as Report;
    for (const [id, e] of expectations(changed)) expect([id, linesOf(report, path, id)]).toEqual([id, e.flagged]);
  });
});
