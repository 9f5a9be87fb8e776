/**
 * Property-based tests (fast-check): a fixed seed and a bounded number of runs in `npm test`, so a failure
 * reproduces; `npm run fuzz` runs the same properties far longer (PYWARD_FUZZ_RUNS) with a fresh seed.
 * Property test files are named `*.property.test.ts`.
 */
export function propertyOptions(runs = 200): { numRuns: number; seed?: number } {
  const long = Number(process.env.PYWARD_FUZZ_RUNS);
  if (Number.isFinite(long) && long > 0) return { numRuns: long };
  return { numRuns: runs, seed: 20261202 };
}
