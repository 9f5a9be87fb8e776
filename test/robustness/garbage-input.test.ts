/**
 * Bad input never crashes: seeded random mutations of realistic files go through every dependency extractor,
 * the dependency scan and the Python engine; each must return a result (a skip reason, an error entry or
 * findings), never throw. Deterministic: the seed is fixed.
 */
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';
import { extractors } from '../../src/dependencies/extractors/registry.js';
import { scanDependencies } from '../../src/engine/scan-dependencies.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { analyzeSource } from '../helpers/analyze.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SEEDS: Record<string, string> = {
  requirements: '-r base.txt\n--hash=sha256:abc\nDjango==4.2.1 \\\n    --hash=sha256:0123\nfoo[bar]>=1.0; python_version<"3.8"\n-e git+https://x/y.git@main#egg=y\n--extra-index-url http://x\n',
  poetry: '[[package]]\nname = "a"\nversion = "1.0"\n[package.source]\ntype = "git"\nurl = "https://x"\n[metadata]\nlock-version = "2.0"\n',
  pipenv: '{"_meta": {"sources": []}, "default": {"django": {"version": "==3.1.2", "hashes": ["sha256:1"]}}, "develop": {}}',
  uv: 'version = 1\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n',
  pdm: '[metadata]\ngroups = ["default"]\n[[package]]\nname = "a"\nversion = "1.0"\nextras = ["x"]\n',
  pyproject: '[project]\ndependencies = ["a>=1", "b @ git+https://x"]\n[project.optional-dependencies]\nx = ["c==1"]\n[dependency-groups]\ndev = ["d", {include-group = "x"}]\n',
  'setup-cfg': '[options]\ninstall_requires =\n    a>=1\n    b==2; python_version < "3.8"\n[options.extras_require]\nx = c==1\n',
};
const PYTHON = 'import subprocess as sp\ndef f(cmd, *a, **k):\n    sp.run(f"{cmd!r}", shell=True, **{"check": True})\n    return [x async for x in a if (y := x)]\nclass C:\n    def m(self): eval(self.x)\n';
const NOISE = ['\0', '"', "'", '[', ']', '{', '}', '=', '\\', '\n', '\r', '#', ';', '@', '\u202e', '\ufeff', '(((', ')))', '"""', 'é', ':', ',', '    ', '\t'];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.4) out = out.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + out.slice(at);
    else if (kind < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 10));
    else out = out.slice(0, at) + out.slice(Math.floor(random() * out.length));
  }
  return out;
}

const FILE_NAMES: Record<string, string> = {
  requirements: 'requirements.txt',
  poetry: 'poetry.lock',
  pipenv: 'Pipfile.lock',
  uv: 'uv.lock',
  pdm: 'pdm.lock',
  pyproject: 'pyproject.toml',
  'setup-cfg': 'setup.cfg',
};

describe.each(Object.keys(extractors))('the %s extractor on 300 mutated files', (format) => {
  it('returns a result every time', async () => {
    const random = rng(format.length * 7919);
    const seed = SEEDS[format];
    for (let i = 0; i < 300; i++) {
      const text = mutate(seed, random);
      const result = extractors[format].extract(text, FILE_NAMES[format]);
      expect(Array.isArray(result.dependencies)).toBe(true);
      for (const d of result.dependencies) expect(d.line).toBeGreaterThanOrEqual(1);
    }
    // and the scan built on it (rules included) copes too
    const files = Array.from({ length: 20 }, (_, i) => ({ path: FILE_NAMES[format], status: 'added' as const, head: mutate(seed, rng(i)) }));
    for (const f of files) await expect(scanDependencies([f], { config: DEFAULT_CONFIG, rules: ALL_RULES, today: '2026-01-01' })).resolves.toBeDefined();
  });
});

it('the Python engine returns a result for 200 mutated modules', async () => {
  const random = rng(42);
  for (let i = 0; i < 200; i++) {
    const result = await analyzeSource(mutate(PYTHON, random), 'fuzz.py');
    expect(result.errors.filter((e) => e.kind === 'internal')).toEqual([]);
  }
});

it('the config parser answers ok or errors for 300 mutated files, never throws', () => {
  const seed = 'fail_on: high\nrules:\n  disable: [B101]\n  options:\n    B108: { tmp_dirs: [/scratch] }\npaths:\n  ignore: ["x/**"]\ndependencies:\n  ignore:\n    - { id: PYSEC-1, expires: 2027-01-01 }\nreview:\n  max_comments: 5\n';
  const random = rng(7);
  for (let i = 0; i < 300; i++) {
    const result = parseConfig(mutate(seed, random));
    if (!result.ok) for (const e of result.errors) expect(typeof e.message).toBe('string');
  }
});
