/**
 * Lockfile location mapping is linear: counted in reads of the located keys, not timed. Before the index,
 * each `[[package]]` table searched every key (40,000 packages: 1.6 billion reads, 20 s).
 */
import { arrayTableNameLines, findKey, locateToml, type TomlLocations } from '../../../src/dependencies/extractors/toml-locations.js';

function lock(n: number): string {
  return Array.from({ length: n }, (_, i) => `[[package]]\nname = "pkg-${i}"\nversion = "1.0.${i}"\n`).join('\n');
}

/** The same locations, with every read of an element of `keys` counted. */
function counted(loc: TomlLocations): { loc: TomlLocations; reads: () => number } {
  let reads = 0;
  const keys = new Proxy(loc.keys, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { loc: { headers: loc.headers, keys }, reads: () => reads };
}

describe('TOML location lookups', () => {
  it.each([1_000, 4_000])('arrayTableNameLines over %i packages reads each key a bounded number of times', (n) => {
    const { loc, reads } = counted(locateToml(lock(n)));
    const lines = arrayTableNameLines(loc, 'package');
    expect(lines).toHaveLength(n);
    expect(lines[0]).toBe(2);
    expect(lines[n - 1]).toBe(4 * (n - 1) + 2);
    // two keys per package; a quadratic search would read about n * 2n of them
    expect(reads()).toBeLessThanOrEqual(2 * n * 2);
  });

  it('findKey answered for every package reads the keys once in all', () => {
    const n = 2_000;
    const { loc, reads } = counted(locateToml(`[tool.poetry.dependencies]\n${Array.from({ length: n }, (_, i) => `pkg-${i} = "1.0"`).join('\n')}\n`));
    for (let i = 0; i < n; i++) expect(findKey(loc, ['tool', 'poetry', 'dependencies', `pkg-${i}`])?.line).toBe(i + 2);
    expect(reads()).toBeLessThanOrEqual(2 * n);
  });

  it('the first of duplicate keys is found, as before', () => {
    const loc = locateToml('[a]\nx = 1\nx = 2\n[a]\ny = 3\n');
    expect(findKey(loc, ['a', 'x'])?.line).toBe(2);
    expect(findKey(loc, ['a', 'y'])?.line).toBe(5);
  });
});
