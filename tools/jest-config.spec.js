// `npm run test:fast` must not need the embedded database: none of the projects it selects (nor the
// root configuration) may start one, and every database test must sit in a project that does.
const { describe, expect, it } = require('@jest/globals');
const path = require('node:path');
const config = require('../jest.config.js');
const { scripts } = require('../package.json');

const fastProjects = (scripts['test:fast'].match(/--selectProjects\s+([\w\s-]+)/) ?? [])[1]
  ?.trim()
  .split(/\s+/);
const project = (name) => config.projects.find((p) => p.displayName === name);

describe('jest projects', () => {
  it('test:fast selects libs, api-unit and web, none of which starts a database', () => {
    expect(fastProjects).toEqual(['libs', 'api-unit', 'web']);
    expect(config.globalSetup).toBeUndefined();
    for (const name of fastProjects) {
      expect(project(name)).toBeDefined();
      expect(project(name).globalSetup).toBeUndefined();
    }
  });

  it('starts the embedded database for the integration tests', () => {
    expect(project('api-integration').globalSetup).toBe('<rootDir>/tools/test/global-setup.js');
    expect(path.basename(project('api-integration').globalTeardown)).toBe('global-teardown.js');
  });
});
