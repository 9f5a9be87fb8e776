/**
 * The data-flow analysis on small programs, construct by construct: each case is a Flask view (unless it
 * says otherwise) and the exact PW findings expected, as `rule:line`.
 */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { analyzeProject } from '../helpers/analyze.js';

const HEAD = 'import os, re, subprocess, sqlite3, pickle, shlex\nfrom flask import Flask, request, redirect, abort\napp = Flask(__name__)\n';
const HEAD_LINES = 3;

/** PW findings of one module, as `rule:line` with lines counted from the case's own first line. */
async function flows(body: string, extra: { path: string; text: string }[] = []): Promise<string[]> {
  const results = await analyzeProject([{ path: 'app/views.py', text: HEAD + body }, ...extra], DEFAULT_CONFIG);
  return results
    .flatMap((r) => r.findings)
    .filter((f) => f.ruleId.startsWith('PW1'))
    .map((f) => `${f.ruleId}:${f.location.path === 'app/views.py' ? f.location.startLine - HEAD_LINES : `${f.location.path}:${f.location.startLine}`}`)
    .sort();
}

const view = (lines: string) => `@app.route("/x")\ndef view():\n${lines.replace(/^/gm, '    ')}\n`;

describe('values flow through the language', () => {
  it.each([
    ['assignment chain', view('a = request.args["q"]\nb = a\nos.system(b)'), ['PW102:5']],
    ['f-string', view('q = request.args["q"]\nos.system(f"ls {q}")'), ['PW102:4']],
    ['concatenation and %', view('q = request.args["q"]\ncmd = "ls " + q\ncmd2 = "echo %s" % cmd\nos.system(cmd2)'), ['PW102:6']],
    ['.format and join', view('q = request.args["q"]\nos.system("ls {}".format(q))\nos.system(" ".join(["ls", q]))'), ['PW102:4', 'PW102:5']],
    ['augmented assignment', view('cmd = "ls "\ncmd += request.args["q"]\nos.system(cmd)'), ['PW102:5']],
    ['list append then join', view('parts = ["ls"]\nparts.append(request.args["q"])\nos.system(" ".join(parts))'), ['PW102:5']],
    ['dict item then get', view('opts = {}\nopts["dir"] = request.form["d"]\nos.system("ls " + opts.get("dir"))'), ['PW102:5']],
    ['dict update', view('opts = {}\nopts.update(request.form)\nos.system("ls " + opts["dir"])'), ['PW102:5']],
    ['unpacking', view('a, b = request.args["a"], "x"\nos.system(a)\nos.system(b)'), ['PW102:4']],
    ['tuple unpacking of a value', view('a, b = request.args.get("p").split(":")\nos.system(b)'), ['PW102:4']],
    ['for loop', view('for name in request.args.getlist("n"):\n    os.system("rm " + name)'), ['PW102:4']],
    ['loop-carried value', view('cmd = "ls"\nfor i in range(3):\n    os.system(cmd)\n    cmd = request.args["q"]'), ['PW102:5']],
    ['while loop', view('q = ""\nwhile not q:\n    q = request.args.get("q")\nos.system(q)'), ['PW102:6']],
    ['list comprehension', view('names = [n.strip() for n in request.args["n"].split(",")]\nos.system(" ".join(names))'), ['PW102:4']],
    ['generator into join', view('os.system(" ".join(x for x in request.args.values()))'), ['PW102:3']],
    ['walrus', view('if (q := request.args.get("q")):\n    os.system(q)'), ['PW102:4']],
    ['conditional expression', view('q = request.args["q"] if request.args else "ls"\nos.system(q)'), ['PW102:4']],
    ['the condition of a conditional expression is not its value', view('mode = "-l" if request.args.get("long") else "-1"\nos.system("ls " + mode)'), []],
    ['a regex match keeps the searched text', view('m = re.search(r"id=(\\w+)", request.query_string.decode())\nos.system("show " + m.group(1))'), ['PW102:4']],
    ['with ... as', view('with open("/tmp/x") as f:\n    data = request.get_data()\n    os.system(data)'), ['PW102:5']],
    ['try/except: either path', view('try:\n    q = request.args["q"]\nexcept KeyError:\n    q = "ls"\nos.system(q)'), ['PW102:7']],
    ['attribute of a local object', view('class C: pass\nc = C()\nc.cmd = request.args["q"]\nos.system(c.cmd)'), ['PW102:6']],
    ['await and async view', '@app.route("/a")\nasync def a():\n    data = await request.get_data()\n    os.system(data)\n', ['PW102:4']],
    ['method chains on a source', view('os.system(request.args.get("q", "").strip().lower())'), ['PW102:3']],
    ['base64 and json decode keep data', view('import base64, json\ncfg = json.loads(base64.b64decode(request.cookies["c"]))\nos.system(cfg["cmd"])'), ['PW102:5']],
  ])('%s', async (_name, body, expected) => {
    expect(await flows(body)).toEqual(expected);
  });
});

describe('what stops a flow', () => {
  it.each([
    ['a constant', view('os.system("ls")'), []],
    ['int()', view('n = int(request.args["n"])\nos.system(f"sleep {n}")'), []],
    ['shlex.quote for the shell only', view('q = shlex.quote(request.args["q"])\nos.system("ls " + q)\neval(q)'), ['PW103:5']],
    ['reassigned to a constant', view('q = request.args["q"]\nq = "ls"\nos.system(q)'), []],
    ['allow-list guard around the use', view('q = request.args["q"]\nif q in {"a", "b"}:\n    os.system(q)'), []],
    ['negative allow-list guard with abort', view('q = request.args["q"]\nif q not in ALLOWED:\n    abort(400)\nos.system(q)'), []],
    ['negative guard with return', view('q = request.args["q"]\nif q not in ALLOWED:\n    return "no"\nos.system(q)'), []],
    ['guard on one branch only', view('q = request.args["q"]\nif q in ALLOWED:\n    os.system(q)\nelse:\n    os.system(q)'), ['PW102:7']],
    ['equality guard', view('q = request.args["q"]\nif q == "status":\n    os.system(q)'), []],
    ['re.fullmatch validator', view('q = request.args["q"]\nif not re.fullmatch(r"[a-z]+", q):\n    abort(400)\nos.system(q)'), []],
    ['compiled pattern validator', 'NAME = re.compile(r"^[a-z]+$")\n' + view('q = request.args["q"]\nif NAME.match(q):\n    os.system("ls " + q)'), []],
    ['isdigit guard', view('q = request.args["q"]\nif q.isdigit():\n    os.system("kill " + q)'), []],
    ['assert as a guard', view('q = request.args["q"]\nassert q in ALLOWED\nos.system(q)'), []],
    ['a validator the project writes itself', 'from urllib.parse import urlparse\nHOSTS = {"shop.example"}\ndef is_safe(url):\n    if not url:\n        return False\n    return urlparse(url).netloc in HOSTS\n' + view('target = request.args["next"]\nif not is_safe(target):\n    abort(400)\nreturn redirect(target)'), []],
    ['a function that is not a validator', 'def is_safe(url):\n    print(url)\n    return True\n' + view('target = request.args["next"]\nif not is_safe(target):\n    abort(400)\nreturn redirect(target)'), ['PW108:9']],
    ['parameterised query', view('db = sqlite3.connect("x")\ndb.execute("SELECT * FROM t WHERE a = ?", (request.args["a"],))'), []],
    ['code after abort() is unreachable', view('abort(403)\nos.system(request.args["q"])'), []],
  ])('%s', async (_name, body, expected) => {
    expect(await flows(body)).toEqual(expected);
  });
});

describe('across functions and modules', () => {
  it('a pass-through helper in the same module', async () => {
    expect(await flows(`def build(name):\n    return "SELECT * FROM t WHERE a = '" + name + "'"\n` + view('sqlite3.connect("x").execute(build(request.args["n"]))'))).toEqual(['PW101:5']);
  });
  it('a helper that sanitises', async () => {
    expect(await flows(`def clean(name):\n    return int(name)\n` + view('sqlite3.connect("x").execute("SELECT %s" % clean(request.args["n"]))'))).toEqual([]);
  });
  it('summaries are per call site: a constant argument elsewhere stays clean', async () => {
    expect(await flows(`def echo(x):\n    return x\n` + view('a = echo(request.args["a"])\nb = echo("ls")\nos.system(b)\nos.system(a)'))).toEqual(['PW102:8']);
  });
  it('a sink inside a helper is reported there, with the path from the view', async () => {
    const helper = { path: 'app/db.py', text: 'import sqlite3\n\ndef find(name):\n    return sqlite3.connect("x").execute("SELECT * FROM u WHERE n = \'%s\'" % name)\n' };
    expect(await flows('from .db import find\n' + view('return find(request.args["n"])'), [helper])).toEqual(['PW101:app/db.py:4']);
  });
  it('a helper imported from another module that passes data through', async () => {
    const helper = { path: 'app/text.py', text: 'def shout(s):\n    return s.upper() + "!"\n' };
    expect(await flows('from app.text import shout\n' + view('os.system(shout(request.args["q"]))'), [helper])).toEqual(['PW102:4']);
  });
  // A helper with no source is interpreted only when it holds a modelled call; these name the sink by an alias.
  it.each([
    ['an import alias', 'from os import system as launch\ndef helper(c):\n    launch(c)\n', 'PW102:3'],
    ['a module alias', 'import subprocess as sp\ndef helper(c):\n    sp.call(c, shell=True)\n', 'PW102:3'],
    ['a name bound to the function', 'launch = os.system\ndef helper(c):\n    launch(c)\n', 'PW102:3'],
    ['functools.partial', 'import functools\nshell = functools.partial(subprocess.run, shell=True)\ndef helper(c):\n    shell(c)\n', 'PW102:4'],
  ])('a helper calling a sink through %s', async (_, helper, expected) => {
    expect(await flows(helper + view('helper(request.args["c"])'))).toEqual([expected]);
  });
  it('a method called on self', async () => {
    expect(await flows('class Runner:\n    def go(self, cmd):\n        os.system(cmd)\n    def start(self):\n        self.go(request.args["c"])\n')).toEqual(['PW102:3']);
  });
  it('a method inherited from a mixin in another module', async () => {
    const mixin = { path: 'app/mixins.py', text: 'import os\n\nclass ShellMixin:\n    def run(self, cmd):\n        os.system("echo " + cmd)\n\n    def safe(self, value):\n        return int(value)\n' };
    const view = 'from flask import request\nfrom .mixins import ShellMixin\n\nclass Job(ShellMixin):\n    def start(self):\n        self.run(request.args["c"])\n        self.run(str(self.safe(request.args["n"])))\n';
    const results = await analyzeProject([mixin, { path: 'app/jobs.py', text: view }]);
    expect(results.flatMap((r) => r.findings).filter((f) => f.ruleId === 'PW102').map((f) => `${f.location.path}:${f.location.startLine}:${f.confidence}`)).toEqual(['app/mixins.py:5:high']);
  });
  it('data received on an accepted socket connection', async () => {
    const server = 'import socket, subprocess\n\ndef serve():\n    srv = socket.socket()\n    srv.bind(("", 9000))\n    srv.listen()\n    conn, addr = srv.accept()\n    cmd = conn.recv(1024).decode()\n    subprocess.run(cmd, shell=True)\n';
    const results = await analyzeProject([{ path: 'server.py', text: server }]);
    expect(results[0].findings.filter((f) => f.ruleId === 'PW102').map((f) => f.location.startLine)).toEqual([9]);
  });
  it('a source returned by a helper', async () => {
    expect(await flows('def term():\n    return request.args.get("t")\n\ndef search():\n    os.system("grep " + term())\n')).toEqual(['PW102:5']);
  });
  it('a script\'s `import lib` is the lib.py next to it, not a same-named module elsewhere', async () => {
    const lib = (safe: boolean) => `import sqlite3\n\ndef login(u):\n    return sqlite3.connect("x").execute(${safe ? '"SELECT 1 WHERE u = ?", (u,)' : '"SELECT 1 WHERE u = \'%s\'" % u'})\n`;
    const views = 'import lib\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return lib.login(request.args["u"])\n';
    const results = await analyzeProject([
      { path: 'bad/lib.py', text: lib(false) },
      { path: 'bad/views.py', text: views },
      { path: 'good/lib.py', text: lib(true) },
      { path: 'good/views.py', text: views },
    ]);
    expect(results.flatMap((r) => r.findings).filter((f) => f.ruleId === 'PW101').map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual(['bad/lib.py:4']);
  });
  it('the receiver of a method is not parameter evidence', async () => {
    const results = await analyzeProject([{ path: 'plugins.py', text: 'import importlib\n\nclass Plugin:\n    name = "x"\n    def load(self, resource):\n        return importlib.import_module(f"{self.name}.core")\n    def run(self, cmd):\n        eval("print(" + cmd + ")")\n' }]);
    expect(results[0].findings.filter((f) => f.ruleId === 'PW103').map((f) => f.location.startLine)).toEqual([8]);
  });
  it('an http.server handler writing request data into an HTML body; not when it sends JSON', async () => {
    const handler = (contentType: string) => `import http.server\nfrom urllib.parse import urlparse, parse_qs\n\nclass Handler(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        name = parse_qs(urlparse(self.path).query).get("name", [""])[0]\n        self.send_response(200)\n        self.send_header("Content-Type", "${contentType}")\n        self.end_headers()\n        self.wfile.write(("<h1>Hello %s</h1>" % name).encode())\n`;
    const html = await analyzeProject([{ path: 'server.py', text: handler('text/html; charset=utf-8') }]);
    expect(html[0].findings.filter((f) => f.ruleId === 'PW106').map((f) => f.location.startLine)).toEqual([10]);
    const json = await analyzeProject([{ path: 'server.py', text: handler('application/json') }]);
    expect(json[0].findings.filter((f) => f.ruleId === 'PW106')).toEqual([]);
  });
  it('parameter evidence alone: low confidence, only for strings built from the parameter', async () => {
    const results = await analyzeProject([{ path: 'tools.py', text: 'import os\n\ndef backup(target):\n    os.system("tar czf /b.tgz " + target)\n\ndef run(cmd):\n    os.system(cmd)\n' }]);
    const pw = results.flatMap((r) => r.findings).filter((f) => f.ruleId === 'PW102');
    expect(pw.map((f) => [f.location.startLine, f.confidence])).toEqual([[4, 'low']]);
    expect(pw[0].message).toContain('Parameter `target` of `backup()`');
  });
});

describe('what a finding carries', () => {
  it('the path, the message naming source and sink, and the Bandit ids it covers', async () => {
    const [result] = await analyzeProject([{ path: 'app/views.py', text: HEAD + view('q = request.args.get("q")\ncmd = f"ping -c 1 {q}"\nsubprocess.run(cmd, shell=True)') }]);
    const pw = result.findings.find((f) => f.ruleId === 'PW102')!;
    expect(pw.flow!.map((s) => [s.location.startLine - HEAD_LINES, s.label])).toEqual([
      [3, 'request.args.get("q")'],
      [3, 'q'],
      [4, 'cmd'],
      [5, 'subprocess.run(cmd, shell=True)'],
    ]);
    expect(pw.message).toMatch(/^Untrusted data from `request\.args\.get\("q"\)` \(line 6: .*\) reaches `subprocess\.run\(cmd, shell=True\)` \(line 8\) and runs as a command\.$/);
    expect(pw.covers).toEqual(['B602']);
    const b602 = result.findings.find((f) => f.ruleId === 'B602')!;
    expect(b602.coveredBy).toBe('PW102');
    expect(b602.severity).toBe('high');
  });
  it('# nosec naming the covered Bandit id silences both', async () => {
    const [result] = await analyzeProject([{ path: 'app/views.py', text: HEAD + view('subprocess.run(request.args["c"], shell=True)  # nosec B602') }]);
    expect(result.findings.filter((f) => /PW102|B602/.test(f.ruleId))).toEqual([]);
    expect(result.suppressed.map((f) => f.ruleId).sort()).toEqual(['B602', 'PW102']);
  });
  it('works with only data-flow rules selected (no Bandit rule collects the calls)', async () => {
    const helper = { path: 'app/db.py', text: 'import sqlite3\n\ndef find(name):\n    return sqlite3.connect("x").execute("SELECT * FROM u WHERE n = \'%s\'" % name)\n' };
    const config = { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, select: ['PW101'] } };
    const results = await analyzeProject([{ path: 'app/views.py', text: HEAD + 'from .db import find\n' + view('return find(request.args["n"])') }, helper], config);
    expect(results.flatMap((r) => r.findings).map((f) => `${f.ruleId}:${f.location.path}:${f.location.startLine}`)).toEqual(['PW101:app/db.py:4']);
  });
  it('a data-flow finding filtered out by min_confidence leaves the Bandit finding visible', async () => {
    const config = { ...DEFAULT_CONFIG, min_confidence: 'medium' as const };
    const results = await analyzeProject([{ path: 'tools.py', text: 'import os\n\ndef backup(target):\n    os.system("tar czf /b.tgz " + target)\n' }], config);
    const ids = results[0].findings.map((f) => [f.ruleId, f.coveredBy]);
    expect(ids).toContainEqual(['B605', undefined]);
    expect(ids.map(([id]) => id)).not.toContain('PW102');
  });
  it('data flow off leaves only the Bandit rules', async () => {
    const results = await analyzeProject([{ path: 'app/views.py', text: HEAD + view('os.system(request.args["c"])') }], { ...DEFAULT_CONFIG, dataflow: { ...DEFAULT_CONFIG.dataflow, enabled: false } });
    expect(results[0].findings.map((f) => f.ruleId)).not.toContain('PW102');
    expect(results[0].findings.map((f) => f.ruleId)).toContain('B605');
  });
});
