'use strict';
// Conecta's fixes to installed dependencies, applied by the root `postinstall` (every `npm install`
// and `npm ci`) and by the Dockerfile. Each replaces an exact block that must occur exactly once:
// an upgrade that changes the code fails the install loudly, and whoever upgrades checks whether
// upstream fixed the bug, then drops or rewrites the patch. Applying twice changes nothing.
// Usage: node tools/patch-dependencies.js

const fs = require('node:fs');
const path = require('node:path');
const { replaceOnce } = require('./embedded-mongo/patched-ferretdb');

const PATCHES = [
  {
    // The MongoDB driver (6.20 and still 7.9) writes a command to a socket the peer has closed
    // whose 'close' event, which marks the connection closed, is still queued: the socket is
    // already destroyed, so the write fails without an 'error' event and 'drain' never comes. The
    // command waits forever. When it is the monitor's heartbeat, the server is never checked
    // again: every operation fails server selection until the process restarts (seen after a
    // database outage: docs/decisions/0005-mongodb-driver-patch.md). Fail it as the closed
    // connection it is, as a network error the monitor and retryable operations handle.
    package: 'mongodb',
    file: 'lib/cmap/connection.js',
    from: `        if (this.socket.write(buffer))
            return;
`,
    to: `        // Conecta patch (tools/patch-dependencies.js): a destroyed socket never drains.
        if (this.socket.destroyed || this.socket.writableEnded) {
            const closedError = new error_1.MongoNetworkError(\`connection \${this.id} to \${this.address} closed\`);
            this.onError(closedError);
            throw closedError;
        }
        if (this.socket.write(buffer))
            return;
`,
  },
];

/** The patched text; unchanged when the patch is already there. */
function patchText(text, patch) {
  if (text.includes(patch.to)) return text;
  return replaceOnce(
    text,
    patch.from,
    patch.to,
    `patch of ${patch.package}/${patch.file}: the block`,
  );
}

/** Applies every patch to the packages as `fromDir` (the API's workspace by default) resolves them. */
function applyPatches(fromDir = path.join(__dirname, '..', 'apps', 'api')) {
  for (const patch of PATCHES) {
    const pkgJson = require.resolve(`${patch.package}/package.json`, { paths: [fromDir] });
    const file = path.join(path.dirname(pkgJson), patch.file);
    const text = fs.readFileSync(file, 'utf8');
    const patched = patchText(text, patch);
    if (patched === text) continue;
    fs.writeFileSync(file, patched);
    const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
    console.log(`[patch-dependencies] patched ${patch.package}@${version} ${patch.file}`);
  }
}

if (require.main === module) applyPatches();

module.exports = { PATCHES, applyPatches, patchText };
