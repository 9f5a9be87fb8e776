/**
 * Every environment variable pyward reads is documented: in the README, and, when the App's server reads it,
 * in .env.example (which docker-compose.yml's `env_file` starts from).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');

/** Variable -> the source files that name it. */
function readVariables(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(join(SRC, file), 'utf8').matchAll(/\b(PYWARD_[A-Z0-9_]+|REDIS_URL)\b/g)) {
      const files = found.get(m[1]!) ?? [];
      if (!files.includes(file)) files.push(file);
      found.set(m[1]!, files);
    }
  }
  return found;
}

const variables = readVariables();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');
/** What the App's server runs: its own code, the engine, the advisory sources (not the CLI or the Action). */
const serverSide = (file: string) => !file.startsWith('cli/') && !file.startsWith('action/');

it('finds the variables it checks', () => {
  expect([...variables.keys()]).toEqual(expect.arrayContaining(['PYWARD_CONCURRENCY', 'PYWARD_REDIS_PREFIX', 'REDIS_URL', 'PYWARD_OSV_EXPORT_URL']));
});

it.each([...variables.entries()].map(([name, files]) => [name, files]))('%s is in the README, and in .env.example when the App reads it', (name, files) => {
  expect(readme).toContain(name);
  if ((files as string[]).some(serverSide)) expect(envExample).toContain(name);
});
