/**
 * Two projects: unit specs beside the code (no I/O), integration suites under test/ that run
 * against a real PostgreSQL (started once in global setup) and real HTTP to the MoMo emulator.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// content-disposition 3 (used by @fastify/static for the Swagger UI) ships ESM only, which Jest's
// CommonJS runtime cannot require; compile that one package to CommonJS for the tests.
const esmJest = ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest, 'node_modules/content-disposition/.+\\.js$': esmJest },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
