/**
 * The PW2xx rules' framework recognition, as tables: which modules are Django settings and for which
 * environment, and how environment-driven values are judged by their fallback (through PW201).
 */
import { isTestPath, roleOfClassName, roleOfPath } from '../../../src/rules/settings/django-settings.js';
import { analyzeSource } from '../../helpers/analyze.js';

const SETTINGS = 'import os\nimport environ\nfrom decouple import config\nenv = environ.Env()\nINSTALLED_APPS = ["shop"]\nROOT_URLCONF = "shop.urls"\n';

async function pw201Lines(text: string, path = 'shop/settings/production.py'): Promise<number[]> {
  const { findings } = await analyzeSource(text, path);
  return findings.filter((f) => f.ruleId === 'PW201').map((f) => f.location.startLine);
}

describe('settings module roles by path', () => {
  it.each([
    ['shop/settings.py', 'production'],
    ['shop/settings/production.py', 'production'],
    ['shop/settings/prod.py', 'production'],
    ['shop/settings/base.py', 'base'],
    ['config/settings/common.py', 'base'],
    ['shop/settings/dev.py', 'development'],
    ['shop/settings/local.py', 'development'],
    ['shop/settings/test.py', 'test'],
    ['shop/settings/ci.py', 'test'],
    ['tests/settings.py', 'test'],
  ])('%s is %s', (path, role) => {
    expect(roleOfPath(path)).toBe(role);
  });

  it.each([
    ['TestingConfig', 'test'],
    ['DevelopmentConfig', 'development'],
    ['LocalSettings', 'development'],
    ['Config', 'base'],
    ['ProductionConfig', undefined],
  ])('config class %s is %s', (name, role) => {
    expect(roleOfClassName(name)).toBe(role);
  });

  it('treats conftest and test modules as test paths, not views or settings', () => {
    expect([isTestPath('conftest.py'), isTestPath('app/test_views.py'), isTestPath('app/views.py')]).toEqual([true, true, false]);
  });
});

describe('Django settings modules are recognised by content, not by name alone', () => {
  it.each([
    ['two core settings', 'INSTALLED_APPS = []\nDATABASES = {}\nDEBUG = True\n', [3]],
    ['a star import of a base module', 'from .base import *\nDEBUG = True\n', [2]],
    ['a star import of project settings', 'from project.settings.common import *\nDEBUG = True\n', [2]],
    ['one core setting alone', 'ROOT_URLCONF = "x"\nDEBUG = True\n', []],
    ['a module that only sets DEBUG', 'DEBUG = True\n', []],
    ['a star import of something else', 'from .models import *\nDEBUG = True\n', []],
  ])('%s', async (_name, text, lines) => {
    expect(await pw201Lines(text, 'shop/settings.py')).toEqual(lines);
  });
});

describe('environment-driven values are judged by their fallback', () => {
  it.each([
    ['DEBUG = True', true],
    ['DEBUG = False', false],
    ['DEBUG = os.environ.get("DEBUG") == "1"', false],
    ['DEBUG = os.environ.get("DEBUG", "True") == "True"', true],
    ['DEBUG = os.environ.get("DEBUG", "0") == "1"', false],
    ['DEBUG = os.getenv("DEBUG", "1") in ("1", "true")', true],
    ['DEBUG = os.environ.get("DEBUG", "False").lower() == "true"', false],
    ['DEBUG = os.environ["DEBUG"] == "1"', false],
    ['DEBUG = bool(int(os.environ.get("DEBUG", "1")))', true],
    ['DEBUG = bool(int(os.environ.get("DEBUG", "0")))', false],
    ['DEBUG = os.environ.get("DEBUG", "1") != "0"', true],
    ['DEBUG = env.bool("DEBUG", default=True)', true],
    ['DEBUG = env.bool("DEBUG", True)', true],
    ['DEBUG = env.bool("DEBUG")', false],
    ['DEBUG = env("DEBUG", default=False)', false],
    ['DEBUG = config("DEBUG", default="yes", cast=bool)', true],
    ['DEBUG = config("DEBUG", default=False, cast=bool)', false],
    ['DEBUG = config("DEBUG", cast=bool)', false],
  ])('%s -> flagged: %s', async (line, flagged) => {
    expect(await pw201Lines(`${SETTINGS}${line}\n`)).toEqual(flagged ? [7] : []);
  });
});

describe('PW202 findings do not repeat the key', () => {
  it('redacts the literal in the snippet and keeps it out of the message', async () => {
    const key = 'django-insecure-7r$w2@k!q9m#x1v&b8n';
    const { findings } = await analyzeSource(`${SETTINGS}SECRET_KEY = "${key}"\n`, 'shop/settings.py');
    const f = findings.find((x) => x.ruleId === 'PW202');
    expect(f?.location.startLine).toBe(7);
    expect(JSON.stringify(f)).not.toContain(key);
  });
});

describe('B201 keeps Flask debug mode; PW201 is Django only', () => {
  it('reports app.config["DEBUG"] = True once, as B201', async () => {
    const { findings } = await analyzeSource('from flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = True\n', 'app.py');
    expect(findings.filter((f) => f.ruleId === 'B201' || f.ruleId === 'PW201').map((f) => f.ruleId)).toEqual(['B201']);
  });
});
