/** Two projects: `unit` is hermetic (fixtures written by the project), `shared` validates against ../shared. */
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // The Action's bundle (generated, 5 MB of minified code): neither a module to map nor code to cover.
  modulePathIgnorePatterns: ['<rootDir>/action-dist/'],
  coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/action-dist/'],
};
export default {
  // CLI and server tests start processes and git: on a busy 2-core machine 5 s is not enough (a global option, not a project one)
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/shared/'] },
    { ...common, displayName: 'shared', testMatch: ['<rootDir>/test/shared/**/*.test.ts'] },
  ],
};
