/**
 * Every mechanical fix (a GitHub suggestion) is checked the way a reviewer would: apply the edit, scan
 * again, and the finding it was attached to must be gone while the code still parses.
 */
import type { Finding } from '../../src/engine/types.js';
import { analyzeSource } from '../helpers/analyze.js';

/** `text` with the edit applied (1-based lines and columns, end exclusive). */
function applyEdit(text: string, edit: NonNullable<Finding['fix']>['edit'] & object): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  const { range } = edit;
  return text.slice(0, offset(range.startLine, range.startColumn)) + edit.text + text.slice(offset(range.endLine, range.endColumn));
}

const CASES: [string, string, string][] = [
  ['B506', 'import yaml\ndef f(data):\n    return yaml.load(data)\n', 'yaml.safe_load(data)'],
  ['B506', 'import yaml\ndef f(data):\n    return yaml.load(data, Loader=yaml.Loader)\n', 'Loader=yaml.SafeLoader'],
  ['B506', 'import yaml as y\nitems = y.load_all(stream, y.CFullLoader)\n', 'y.CSafeLoader'],
  ['B506', 'import yaml\nconfig = yaml.unsafe_load(stream)\n', 'yaml.safe_load(stream)'],
  ['B113', 'import requests\nrequests.get("https://example.com")\n', 'timeout=10'],
  ['B113', 'import requests\nrequests.post("https://example.com", json={}, timeout=None)\n', 'timeout=10'],
  ['B201', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n', 'debug=False'],
  ['B307', 'import ast\nvalue = eval(text)\n', 'ast.literal_eval(text)'],
  ['B501', 'import requests\nrequests.get("https://example.com", timeout=5, verify=False)\n', 'requests.get("https://example.com", timeout=5)'],
  ['B323', 'import ssl\ncontext = ssl._create_unverified_context(cafile=CA)\n', 'ssl.create_default_context(cafile=CA)'],
  ['B507', 'import paramiko\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n', 'paramiko.RejectPolicy()'],
  ['B701', 'import jinja2\nenv = jinja2.Environment(loader=loader, autoescape=False)\n', 'autoescape=True'],
  ['PW302', 'import jwt\ndef claims(token):\n    return jwt.decode(token, settings.JWT_SECRET)\n', 'jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])'],
  ['PW302', 'from jose import jwt\nclaims = jwt.decode(\n    token,\n    "dev-secret",\n    algorithms=None,\n)\n', 'algorithms=["HS256"],'],
  ['PW306', 'import random, secrets, string\nreset_code = "".join(random.choice(string.digits) for _ in range(6))\n', 'secrets.choice(string.digits)'],
  ['PW306', 'import secrets\nfrom random import randint\notp = randint(100000, 999999)\n', 'otp = 100000 + secrets.randbelow(900000)'],
  ['PW306', 'import random, secrets\napi_key = "%032x" % random.getrandbits(128)\n', 'secrets.randbits(128)'],
  ['PW306', 'import random, secrets\npassword = "".join(random.choices(ALPHABET, k=12))\n', '[secrets.choice(ALPHABET) for _ in range(12)]'],
  ['PW308', 'import hmac\ndef ok(sig, body):\n    return hmac.new(KEY, body, "sha256").hexdigest() == sig\n', 'return hmac.compare_digest(hmac.new(KEY, body, "sha256").hexdigest(), sig)'],
  ['PW308', 'import hmac\nif request.headers["X-Api-Key"] != API_KEY_FROM_ENV:\n    abort(401)\n', 'if not hmac.compare_digest(request.headers["X-Api-Key"], API_KEY_FROM_ENV):'],
];

describe.each(CASES)('%s fix', (ruleId, source, expected) => {
  it(`gives ${expected} and removes the finding`, async () => {
    const before = await analyzeSource(source);
    const finding = before.findings.find((f) => f.ruleId === ruleId);
    expect(finding?.fix?.edit).toBeDefined();
    const fixed = applyEdit(source, finding!.fix!.edit!);
    expect(fixed).toContain(expected);
    const after = await analyzeSource(fixed);
    expect(after.errors).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === ruleId)).toEqual([]);
  });
});

it('offers no edit where one would not be safe', async () => {
  const cases: [string, string][] = [
    ['B323', 'import ssl\ncontext = ssl._create_unverified_context(ssl.PROTOCOL_TLS_CLIENT)\n'],
    ['B507', 'from paramiko import AutoAddPolicy, SSHClient\nSSHClient().set_missing_host_key_policy(AutoAddPolicy())\n'],
    ['B701', 'import jinja2\nenv = jinja2.Environment(autoescape=ESCAPE)\nESCAPE = False\n'],
    ['B506', 'from yaml import load, Loader\nload(stream, Loader=Loader)\n'],
    // the key may be an RSA public key: which algorithm to pin is the issuer's choice
    ['PW302', 'import jwt\nclaims = jwt.decode(token, public_key_pem)\n'],
    ['PW306', 'import random\ntoken = str(random.random())\n'],
  ];
  for (const [ruleId, source] of cases) {
    const finding = (await analyzeSource(source)).findings.find((f) => f.ruleId === ruleId);
    expect(finding).toBeDefined();
    expect(finding!.fix?.edit).toBeUndefined();
  }
});

describe('a fix that needs a module the file does not import says so', () => {
  it.each([
    ['PW306', 'import random\ntoken = random.choice(WORDS)\n', 'import secrets'],
    ['PW308', 'def check(signature, expected):\n    return signature == expected\n', 'import hmac'],
  ])('%s', async (ruleId, source, needed) => {
    const finding = (await analyzeSource(source)).findings.find((f) => f.ruleId === ruleId);
    expect(finding?.fix?.edit).toBeDefined();
    expect(finding!.fix!.description).toContain(`add \`${needed}\``);
  });

  it('and does not when it is imported', async () => {
    const finding = (await analyzeSource('import hmac\ndef check(signature, expected):\n    return signature == expected\n')).findings.find((f) => f.ruleId === 'PW308');
    expect(finding!.fix!.description).not.toContain('import hmac');
  });
});
