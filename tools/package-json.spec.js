// Settings of the root package.json that other tools read.
const { describe, expect, it } = require('@jest/globals');
const rootPackage = require('../package.json');

describe('root package.json', () => {
  // swagger-ui-dist (the /api/docs page, through @nestjs/swagger) depends on @scarf/scarf, whose
  // postinstall reports the install to scarf.sh unless the root package opts out like this
  // (node_modules/@scarf/scarf/report.js, userHasOptedOut).
  it('opts out of the @scarf/scarf install-time telemetry', () => {
    expect(rootPackage.scarfSettings).toEqual({ enabled: false });
  });
});
