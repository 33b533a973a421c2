// One run, five projects. Only the api-integration project needs a database: its global setup starts
// the embedded one (unless MONGODB_URI is set), and jest runs it only when that project has tests to
// run, so `npm run test:fast` (libs, api-unit, web) never builds or starts it. Every integration test
// file creates its own database on it.
const swcNode = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const swcWeb = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@conecta/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@conecta/graph-client$': '<rootDir>/libs/graph-client/src/index.ts',
  '^@conecta/graph-client/testing$': '<rootDir>/libs/graph-client/src/testing/index.ts',
};
// ESM-only packages that jest (on Node 20) must compile to CommonJS.
const ESM_PACKAGES = ['content-disposition', 'rettime', 'until-async', '@open-draft'];
const common = {
  rootDir: __dirname,
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
const esmTransform = { [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.m?js$`]: swcNode };

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'libs',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swcNode, ...esmTransform },
      testMatch: [
        '<rootDir>/libs/*/src/**/*.spec.ts',
        '<rootDir>/libs/*/test/**/*.spec.ts',
        '<rootDir>/tools/*.spec.js',
      ],
    },
    {
      ...common,
      displayName: 'api-unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swcNode, ...esmTransform },
      testMatch: ['<rootDir>/apps/api/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'api-integration',
      testEnvironment: 'node',
      globalSetup: '<rootDir>/tools/test/global-setup.js',
      globalTeardown: '<rootDir>/tools/test/global-teardown.js',
      transform: { '^.+\\.ts$': swcNode, ...esmTransform },
      testMatch: [
        '<rootDir>/apps/api/test/**/*.e2e-spec.ts',
        // The embedded database's own cases (filter pushdown) run against the same server.
        '<rootDir>/tools/embedded-mongo/**/*.spec.js',
      ],
    },
    {
      ...common,
      displayName: 'web',
      testEnvironment: '<rootDir>/apps/web/src/testing/jsdom-environment.js',
      transform: { '^.+\\.(ts|tsx)$': swcWeb, ...esmTransform },
      moduleNameMapper: {
        ...moduleNameMapper,
        '\\.(css)$': '<rootDir>/apps/web/src/testing/style-mock.js',
      },
      setupFilesAfterEnv: ['<rootDir>/apps/web/src/testing/setup-tests.ts'],
      testMatch: ['<rootDir>/apps/web/src/**/*.test.ts', '<rootDir>/apps/web/src/**/*.test.tsx'],
    },
    {
      ...common,
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swcNode, ...esmTransform },
      testMatch: ['<rootDir>/apps/web/e2e/**/*.e2e.ts'],
    },
  ],
};
