import { isSecretRule, redactSecretLiterals, redactUrlCredentials, redactValue } from '../../src/engine/redact-secrets.js';

describe('redactSecretLiterals', () => {
  it.each([
    ['an assignment', 'password = "hunter2"', 'password = "***"'],
    ['a long value keeps its last 4', "token = 'ghp_0123456789abcdefWXYZ'", "token = '***WXYZ'"],
    ['a subscript key stays', 'config["password"] = "hunter2"', 'config["password"] = "***"'],
    ['a dict key stays', "{'db_password': 's3cr3t!'}", "{'db_password': '***'}"],
    ['a keyword argument', 'connect(password="hunter2", user="bob")', 'connect(password="***", user="***")'],
    ['a default', 'def f(pwd=b"hunter2"):', 'def f(pwd=b"***"):'],
    ['escaped quotes inside', 'p = "a\\"b"', 'p = "***"'],
    ['a triple-quoted value running past the line', 'p = """abc', 'p = """***'],
    ['an empty string is no secret', 'password = ""', 'password = ""'],
    ['a comparison', 'if password == "hunter2":', 'if password == "***":'],
    ['a dict key starting its line', '"PASSWORD": "hunter2",', '"PASSWORD": "***",'],
    ['a lambda body is no key', 'f = lambda: "hunter2"', 'f = lambda: "***"'],
  ])('%s', (_name, line, expected) => {
    expect(redactSecretLiterals(line)).toBe(expected);
  });

  it('never shows a value shorter than 16 characters, nor more than 4 of a longer one', () => {
    expect(redactValue('x'.repeat(15))).toBe('***');
    expect(redactValue('abcdefghijklmnopqrstuvwxyz')).toBe('***wxyz');
  });

  it.each([
    ['B105', true],
    ['B106', true],
    ['B107', true],
    ['B602', false],
    ['PW102', false],
  ])('%s is a secret rule: %s', (id, expected) => {
    expect(isSecretRule(id)).toBe(expected);
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['a token', '--extra-index-url https://__token__:pypi-AgEIcHlwaS5vcmc@pkgs.example/simple', '--extra-index-url https://***@pkgs.example/simple'],
    ['a user alone', 'pkg @ git+https://bob@git.example/pkg.git', 'pkg @ git+https://***@git.example/pkg.git'],
    ['no credentials', 'https://pypi.org/simple', 'https://pypi.org/simple'],
    ['an @ in the path is not userinfo', 'https://h.example/a@b', 'https://h.example/a@b'],
  ])('%s', (_name, text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });
});
