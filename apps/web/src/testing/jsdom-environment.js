// jsdom without Node's fetch stack cannot run MSW: hand the test window Node's own fetch, streams
// and encoders (the same classes together, so instanceof checks inside fetch hold), and resolve
// packages by their default export condition so `msw/node` loads.
const { TestEnvironment } = require('jest-environment-jsdom');

const NODE_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'Blob',
  'File',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'TextEncoder',
  'TextDecoder',
  'TextEncoderStream',
  'TextDecoderStream',
  'BroadcastChannel',
  'AbortController',
  'AbortSignal',
  'structuredClone',
  'URL',
  'URLSearchParams',
];

class WebTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of NODE_GLOBALS) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }

  exportConditions() {
    return [''];
  }
}

module.exports = WebTestEnvironment;
