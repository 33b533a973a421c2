// Reads a V8 CPU profile (`node --cpu-prof`) and says where the CPU went: self time grouped by
// package (node_modules package, API folder, our libs, Node's own modules) and the costliest
// functions. Native frames (JSON.parse, a socket write) count for the JS code that called them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Microseconds on the clock V8 stamps profile samples with (CLOCK_MONOTONIC, like hrtime). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** The profile a process with this pid wrote into `dir` (`CPU.<date>.<time>.<pid>.…`). */
export function profileFileOf(dir, pid) {
  const name = readdirSync(dir).find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
  if (!name) throw new Error(`no CPU profile of process ${pid} in ${dir}`);
  return join(dir, name);
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

function packageOf(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const api = url.indexOf('/apps/api/dist/');
  if (api >= 0) {
    const rest = url.slice(api + '/apps/api/dist/'.length).split('/');
    return rest.length > 1 ? `api/${rest[0]}` : 'api';
  }
  const lib = url.match(/\/libs\/([^/]+)\//);
  if (lib) return `@conecta/${lib[1]}`;
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return `node:${parts[0] === 'internal' && parts.length > 1 ? parts[1].replace(/\.js$/, '') : parts[0]}`;
  }
  return url.split('/').slice(-2).join('/');
}

/**
 * Self time by package and by function of the samples taken between `fromUs` and `toUs`
 * (monotonic microseconds; default: the whole profile). Idle time is left out.
 */
export function summarizeCpuProfile(file, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample's time is the interval up to the next one.
    const spent = profile.timeDeltas[i + 1] ?? 0;
    if (at < fromUs || at > toUs) continue;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + spent);
  }
  /** The frame that accounts for a node's time: itself, or the nearest JS caller of a native. */
  const owner = (id) => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { url, functionName } = byId.get(cur).callFrame;
      if (url || SPECIAL.has(functionName)) return byId.get(cur).callFrame;
    }
    return byId.get(id).callFrame;
  };
  const byPackage = new Map();
  const byFunction = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = owner(id);
    if (frame.functionName === '(idle)') continue;
    totalUs += us;
    const pkg = frame.url ? packageOf(frame.url) : frame.functionName || '(native)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = frame.url
      ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`
      : pkg;
    const key = `${fn}\u0000${pkg}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalUs,
    packages: sorted(byPackage).map(([name, us]) => ({ name, us })),
    functions: sorted(byFunction).map(([key, us]) => {
      const [name, pkg] = key.split('\u0000');
      return { name, package: pkg, us };
    }),
  };
}
