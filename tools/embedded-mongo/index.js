'use strict';
// The embedded database launcher, shared by `npm start` and the test setup.
// Order: a `mongod` on PATH, then FerretDB (SQLite backend) built from this folder's Go program,
// then mongodb-memory-server if it is installed (it downloads a real mongod: laptops only).
// EMBEDDED_DB picks one engine instead: `ferretdb`, or `mongo-java-server` (a second engine whose
// single-document updates are atomic, like MongoDB's; built from `java/` with Maven, H2 backend).

const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { preparePatchedFerret, PATCH_SOURCES } = require('./patched-ferretdb');

const HERE = __dirname;
const REPO_ROOT = path.resolve(HERE, '..', '..');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];
const JAVA_SOURCES = ['java/pom.xml', 'java/src/main/java/conecta/EmbeddedMongoJavaServer.java'];
const READY_TIMEOUT_MS = 60_000;
const ENGINES = ['ferretdb', 'mongo-java-server'];

function defaultLog(line) {
  process.stderr.write(`[embedded-mongo] ${line}\n`);
}

function which(cmd) {
  const dirs = (process.env.PATH || '').split(path.delimiter);
  for (const dir of dirs) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sourceHash(upstream) {
  const h = createHash('sha256');
  const files = SOURCES.map((f) => path.join(HERE, f));
  for (const file of upstream ? files : [...files, ...PATCH_SOURCES]) {
    h.update(path.relative(HERE, file));
    h.update(fs.readFileSync(file));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Builds the launcher once per source version and returns its path (null without Go). With
 * `upstream: true`, against FerretDB as published, without Conecta's patch (for benchmarks).
 */
async function ensureFerretBinary(options = {}) {
  const log = options.log || defaultLog;
  const go = which('go');
  if (!go) return null;
  const cacheDir = options.cacheDir || path.join(REPO_ROOT, '.cache', 'embedded-mongo');
  const variant = options.upstream ? 'ferretdb-upstream-' : 'ferretdb-';
  const binary = path.join(cacheDir, `${variant}${sourceHash(options.upstream)}`);
  if (fs.existsSync(binary)) return binary;

  fs.mkdirSync(cacheDir, { recursive: true });
  log('building the FerretDB launcher once (downloads Go modules, takes a few minutes)…');
  const tmp = `${binary}.${process.pid}.tmp`;
  const started = Date.now();
  const ticker = setInterval(() => {
    log(`still building… ${Math.round((Date.now() - started) / 1000)}s`);
  }, 15_000);
  const env = { ...process.env, CGO_ENABLED: '0' };
  const patchedDir = `${tmp}-src`;
  try {
    const modfile = options.upstream
      ? []
      : ['-modfile', preparePatchedFerret({ go, cwd: HERE, outDir: patchedDir, env })];
    await new Promise((resolve, reject) => {
      const child = spawn(go, ['build', '-trimpath', ...modfile, '-o', tmp, '.'], {
        cwd: HERE,
        stdio: ['ignore', 'inherit', 'inherit'],
        env,
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`go build exited with code ${code}`)),
      );
    });
  } finally {
    clearInterval(ticker);
    fs.rmSync(patchedDir, { recursive: true, force: true });
  }
  // A rename is atomic, so a concurrent start never runs a half-written binary.
  fs.renameSync(tmp, binary);
  for (const old of fs.readdirSync(cacheDir)) {
    const sameVariant =
      old.startsWith(variant) && old.startsWith('ferretdb-upstream-') === Boolean(options.upstream);
    // Another process's build in progress (`….tmp`, `….tmp-src`) is left alone.
    if (sameVariant && path.join(cacheDir, old) !== binary && !old.includes('.tmp')) {
      fs.rmSync(path.join(cacheDir, old), { force: true });
    }
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)}s`);
  return binary;
}

/** Runs a build command; rejects with its exit code. Output goes to stderr. */
function run(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', process.stderr, 'inherit'], ...options });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited with code ${code}`)),
    );
  });
}

/**
 * Builds the mongo-java-server launcher (`java/`) once per source version with Maven and returns
 * the directory holding its jar and `lib/`. Throws without `java` or `mvn`.
 */
async function ensureMongoJavaServer(options = {}) {
  const log = options.log || defaultLog;
  const mvn = which('mvn');
  if (!which('java') || !mvn) {
    throw new Error('EMBEDDED_DB=mongo-java-server needs Java 17+ and Maven (mvn) on PATH');
  }
  const h = createHash('sha256');
  for (const file of JAVA_SOURCES) {
    h.update(file);
    h.update(fs.readFileSync(path.join(HERE, file)));
  }
  const cacheDir = options.cacheDir || path.join(REPO_ROOT, '.cache', 'embedded-mongo');
  const variant = 'mongo-java-server-';
  const dir = path.join(cacheDir, `${variant}${h.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(dir)) return dir;

  fs.mkdirSync(cacheDir, { recursive: true });
  log('building the mongo-java-server launcher once (Maven downloads its jars)…');
  const started = Date.now();
  const tmp = `${dir}.${process.pid}.tmp`;
  try {
    await run(
      mvn,
      ['-B', '-q', '-f', path.join(HERE, 'java', 'pom.xml'), `-Dconecta.out=${tmp}`, 'package'],
      {
        cwd: HERE,
      },
    );
    fs.mkdirSync(`${tmp}-final`);
    fs.renameSync(
      path.join(tmp, 'conecta-mongo-java-server.jar'),
      path.join(`${tmp}-final`, 'server.jar'),
    );
    fs.renameSync(path.join(tmp, 'lib'), path.join(`${tmp}-final`, 'lib'));
    // A rename is atomic, so a concurrent start never runs a half-copied build.
    fs.renameSync(`${tmp}-final`, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(`${tmp}-final`, { recursive: true, force: true });
  }
  for (const old of fs.readdirSync(cacheDir)) {
    if (old.startsWith(variant) && path.join(cacheDir, old) !== dir && !old.includes('.tmp')) {
      fs.rmSync(path.join(cacheDir, old), { recursive: true, force: true });
    }
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)}s`);
  return dir;
}

function pidFileOf(dataDir) {
  return path.join(dataDir, 'embedded-mongo.pid');
}

/** Ends a server that a killed parent left behind on the same data directory. */
function reapStale(dataDir, log) {
  const file = pidFileOf(dataDir);
  let pid;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(dataDir)) {
        log(`stopping a stale server (pid ${pid}) left on ${dataDir}`);
        process.kill(pid, 'SIGKILL');
      }
    } catch {
      // not running any more
    }
  }
  fs.rmSync(file, { force: true });
  fs.rmSync(path.join(dataDir, 'mongod.lock'), { force: true });
}

function waitForReady(child, match, label) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${READY_TIMEOUT_MS / 1000}s`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk) => {
      buffered += chunk.toString();
      const found = match(buffered);
      if (found) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(found);
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with code ${code} before it was ready`));
    });
  });
}

/**
 * Spawns a database server whose files only its owner may read (umask 077): customers' numbers and
 * messages live in them. The shell `exec`s the server, so the pid is the server's own.
 */
function spawnOwnerOnly(command, args, options) {
  if (process.platform === 'win32') return spawn(command, args, options);
  return spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', command, ...args], options);
}

/** The data directory, created (or tightened) to 0700. */
function ownerOnlyDir(dataDir) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (fs.statSync(dataDir).mode & 0o077) !== 0) {
    fs.chmodSync(dataDir, 0o700);
  }
}

/** The URI of our launchers' `READY <uri>` line, once printed. */
function readyLine(out) {
  const m = /^READY (\S+)$/m.exec(out);
  return m ? m[1] : null;
}

function managed(kind, child, uri, dataDir) {
  fs.writeFileSync(pidFileOf(dataDir), String(child.pid), { mode: 0o600 });
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    exited = true;
  });
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  return {
    kind,
    uri,
    pid: child.pid,
    async stop() {
      process.off('exit', killOnExit);
      if (!exited) {
        child.kill('SIGTERM');
        const timeout = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
        await Promise.race([exitedPromise, timeout]);
        if (!exited) {
          child.kill('SIGKILL');
          await exitedPromise;
        }
      }
      fs.rmSync(pidFileOf(dataDir), { force: true });
    },
  };
}

async function startMongod(mongod, dataDir, requestedPort) {
  const port = requestedPort ?? (await freePort());
  const child = spawnOwnerOnly(
    mongod,
    ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await waitForReady(child, (out) => out.includes('Waiting for connections'), 'mongod');
  return managed('mongod', child, `mongodb://127.0.0.1:${port}/`, dataDir);
}

async function startFerret(binary, dataDir, port) {
  // stdin stays a pipe: when this process dies, the server sees EOF and stops itself.
  const listen = `127.0.0.1:${port ?? 0}`;
  const child = spawnOwnerOnly(
    binary,
    ['-data', dataDir, '-listen', listen, '-watch-stdin', '-log-level', 'error'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const uri = await waitForReady(child, readyLine, 'FerretDB');
  return managed('ferretdb', child, uri.endsWith('/') ? uri : `${uri}/`, dataDir);
}

async function startMongoJavaServer(buildDir, dataDir, requestedPort) {
  const port = requestedPort ?? (await freePort());
  const classpath = [path.join(buildDir, 'server.jar'), path.join(buildDir, 'lib', '*')].join(
    path.delimiter,
  );
  // stdin stays a pipe: when this process dies, the server sees EOF and stops itself.
  const child = spawnOwnerOnly(
    which('java'),
    [
      '-XX:+UseSerialGC',
      '-cp',
      classpath,
      'conecta.EmbeddedMongoJavaServer',
      '-data',
      dataDir,
      '-port',
      String(port),
      '-watch-stdin',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const uri = await waitForReady(child, readyLine, 'mongo-java-server');
  return managed('mongo-java-server', child, uri, dataDir);
}

/** The engine EMBEDDED_DB (or `options.engine`) names; undefined: the default order. */
function chosenEngine(options) {
  const raw = options.engine ?? (process.env.EMBEDDED_DB || '').trim();
  if (!raw) return undefined;
  if (!ENGINES.includes(raw)) {
    throw new Error(`EMBEDDED_DB must be one of ${ENGINES.join(', ')}, got "${raw}"`);
  }
  return raw;
}

async function startMemoryServer(dataDir) {
  let mms;
  try {
    mms = require('mongodb-memory-server');
  } catch {
    throw new Error(
      'No embedded database available: install MongoDB (mongod on PATH) or Go, ' +
        'or `npm install mongodb-memory-server`, or set MONGODB_URI.',
    );
  }
  const server = await mms.MongoMemoryServer.create({ instance: { dbPath: dataDir } });
  return {
    kind: 'mongodb-memory-server',
    uri: server.getUri().replace(/\/?$/, '/'),
    pid: undefined,
    stop: () => server.stop().then(() => undefined),
  };
}

async function startEmbeddedMongo(options) {
  const log = options.log || defaultLog;
  const dataDir = path.resolve(options.dataDir);
  ownerOnlyDir(dataDir);
  reapStale(dataDir, log);
  const engine = options.ferretdb ? 'ferretdb' : chosenEngine(options);

  if (engine === 'mongo-java-server') {
    const buildDir = await ensureMongoJavaServer({ cacheDir: options.cacheDir, log });
    const server = await startMongoJavaServer(buildDir, dataDir, options.port);
    log(`using mongo-java-server (H2) at ${server.uri}, data in ${dataDir}`);
    return server;
  }
  const mongod = engine ? null : which('mongod');
  if (mongod) {
    log(`using mongod from PATH (${mongod}), data in ${dataDir}`);
    return startMongod(mongod, dataDir, options.port);
  }
  const binary = await ensureFerretBinary({
    cacheDir: options.cacheDir,
    log,
    upstream: options.ferretdb === 'upstream',
  });
  if (!binary && engine === 'ferretdb') throw new Error('EMBEDDED_DB=ferretdb needs Go on PATH');
  if (binary) {
    const server = await startFerret(binary, dataDir, options.port);
    log(`using FerretDB (SQLite) at ${server.uri}, data in ${dataDir}`);
    return server;
  }
  log('no mongod and no Go toolchain: trying mongodb-memory-server');
  return startMemoryServer(dataDir);
}

module.exports = { startEmbeddedMongo, ensureFerretBinary, ensureMongoJavaServer, ENGINES };

if (require.main === module) {
  // `node tools/embedded-mongo [dataDir]`: run a server in the foreground, for debugging.
  const dataDir = process.argv[2] || path.join(REPO_ROOT, '.data', 'db');
  startEmbeddedMongo({ dataDir })
    .then((server) => {
      process.stdout.write(`${server.uri}\n`);
      const stop = () => server.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((err) => {
      defaultLog(err.message);
      process.exit(1);
    });
}
