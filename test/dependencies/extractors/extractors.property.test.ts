/**
 * Property tests over every dependency extractor: any text gives a result, never a throw; positions stay in
 * the file; what cannot be used is said (an error for a file that does not parse, a skipped entry with a
 * reason for a line), never silently dropped.
 */
import fc from 'fast-check';
import { extractors } from '../../../src/dependencies/extractors/registry.js';
import { propertyOptions } from '../../helpers/property.js';

const PATHS: Record<string, string> = {
  poetry: 'poetry.lock',
  pipenv: 'Pipfile.lock',
  uv: 'uv.lock',
  pdm: 'pdm.lock',
  pyproject: 'pyproject.toml',
  'setup-cfg': 'setup.cfg',
  requirements: 'requirements.txt',
};

/** Fragments of each format, shuffled into near-valid garbage. */
const TOKENS = fc.constantFrom(
  '[[package]]\n', 'name = "flask"\n', 'version = "2.0.3"\n', '[project]\n', 'dependencies = ["requests==2.31.0", ', ']\n', '[tool.poetry.dependencies]\n', 'flask = "^2.0"\n',
  '{"default": {"flask": {"version": "==2.0.3"}}}', '{', '}', '"', "'", '[options]\ninstall_requires =\n    flask==2.0\n', 'flask==2.0.3 \\\n', '-r other.txt\n', '--hash=sha256:abc\n',
  'git+https://x/y@z#egg=y\n', '# c\n', '\r\n', '\n', ' ', '\uFEFF', 'sdist = { url = "u", hash = "h" }\n', 'source = { virtual = "." }\n', '=', ';', ' @ ', 'é', '\u0000',
);

const garbage = fc.oneof(fc.string({ maxLength: 300 }), fc.array(TOKENS, { maxLength: 40 }).map((t) => t.join('')));

describe.each(Object.keys(extractors))('%s extractor (property)', (name) => {
  const path = PATHS[name];
  const { extract } = extractors[name];

  it('has a test path', () => expect(path).toBeDefined());

  it('any text: a result with lines inside the file, reasons for what it skipped, never a throw', () => {
    fc.assert(
      fc.property(garbage, (text) => {
        const result = extract(text, path);
        const lines = text.split(/\r\n|\n|\r/).length;
        if (result.error) {
          expect(result.error.message).toMatch(/\S/);
          expect(result.dependencies).toEqual([]);
        }
        for (const d of result.dependencies) {
          expect(d.name).toMatch(/\S/);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines);
        }
        for (const s of result.skipped) {
          expect(s.reason).toMatch(/\S/);
          expect(s.line).toBeGreaterThanOrEqual(0);
          expect(s.line).toBeLessThanOrEqual(lines);
        }
      }),
      propertyOptions(),
    );
  });
});

describe('requirements lines are used or said', () => {
  it('every non-blank, non-comment line gives a dependency, an include, an option or a skipped entry', () => {
    const line = fc.oneof(
      fc.constantFrom('flask==2.0.3', 'requests>=2', '-r base.txt', '-c constraints.txt', '--index-url https://x/simple', '-e .', 'git+https://x/y.git', './local', 'name @ https://x/y.whl', '!!!', '==1.0', 'flask[', 'a b c'),
      fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/[\r\n\\#]/g, 'x')),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        const result = extractors.requirements.extract(text, 'requirements.txt');
        const said = new Set([...result.dependencies.map((d) => d.line), ...(result.includes ?? []).map((i) => i.line), ...(result.options ?? []).map((o) => o.line), ...result.skipped.map((s) => s.line)]);
        lines.forEach((l, i) => {
          if (l.trim() === '') return;
          expect({ line: l, said: said.has(i + 1) }).toEqual({ line: l, said: true });
        });
      }),
      propertyOptions(),
    );
  });
});
