// The dependency patches (tools/patch-dependencies.js): the installed MongoDB driver carries the
// fix, and the patcher is idempotent and refuses code it was not written for.
const net = require('node:net');
const { once } = require('node:events');
const { afterAll, beforeAll, describe, expect, it } = require('@jest/globals');
const { MongoNetworkError } = require('mongodb');
// Internal modules of the driver: the race needs a connection whose socket we control.
const { Connection } = require('mongodb/lib/cmap/connection');
const { HostAddress, ns } = require('mongodb/lib/utils');
const { PATCHES, patchText } = require('./patch-dependencies');

describe('the installed MongoDB driver', () => {
  let server;
  let port;
  beforeAll(async () => {
    server = net.createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = server.address().port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('fails a command on a socket destroyed before its close event, instead of waiting forever', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const connection = new Connection(socket, {
      id: 1,
      generation: 0,
      hostAddress: HostAddress.fromString(`127.0.0.1:${port}`),
      socketTimeoutMS: 0,
    });
    // As when the peer's FIN has been read: destroyed, 'close' (which marks it closed) still queued.
    socket.destroy();
    expect(connection.closed).toBe(false);

    let timer;
    const outcome = await Promise.race([
      connection.command(ns('admin.$cmd'), { ping: 1 }, {}).then(
        () => 'answered',
        (err) => err,
      ),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still waiting after 5 s'), 5_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBeInstanceOf(MongoNetworkError);
    expect(connection.closed).toBe(true);
  });
});

describe('patchText', () => {
  const [patch] = PATCHES;
  const source = `before\n${patch.from}after\n`;

  it('replaces the block once and leaves patched text as it is', () => {
    const patched = patchText(source, patch);
    expect(patched).toBe(`before\n${patch.to}after\n`);
    expect(patchText(patched, patch)).toBe(patched);
  });

  it('refuses text where the block is missing or repeated', () => {
    expect(() => patchText('before\nafter\n', patch)).toThrow(/not found exactly once/);
    expect(() => patchText(`${patch.from}${patch.from}`, patch)).toThrow(/not found exactly once/);
  });
});
