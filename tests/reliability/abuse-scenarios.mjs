// Scenario 6: abuse. (a) Generated malformed, forged and oversized webhook bodies (fast-check)
// must be refused with a 4xx, crash nothing and store nothing. (b) Every REST endpoint of the
// OpenAPI document fed invalid ids, query strings and bodies must answer a 4xx with the error
// shape `{statusCode, error, message}`, never a 5xx.
import fc from 'fast-check';
import { ADMIN } from '../../bench/support/stack.mjs';
import {
  BUSINESS,
  apiHealthy,
  buildInboundTextWebhook,
  metaJsonStringify,
  sign,
  startScenarioStack,
} from './support.mjs';

/** The server-wide secret the suite's API runs with (bench/support/stack.mjs). */
const SERVER_SECRET = 'bench-app-secret';

function validPayload(i = 0) {
  return buildInboundTextWebhook({
    wabaId: BUSINESS.wabaId,
    phoneNumberId: BUSINESS.phoneNumberId,
    displayPhoneNumber: BUSINESS.displayPhoneNumber,
    from: `5299${String(i).padStart(8, '0')}`,
    text: `hola ${i}`,
    wamid: `wamid.abuse.${i}`,
  });
}

function isErrorShape(body, status) {
  return (
    body !== null &&
    typeof body === 'object' &&
    body.statusCode === status &&
    typeof body.error === 'string' &&
    typeof body.message === 'string'
  );
}

// ---- (a) webhook bodies ------------------------------------------------------------------------

/**
 * Paths of required fields in a valid payload, and wrong-typed values for them. (`from` is not
 * required: Meta omits it for users with usernames, and `contacts[].wa_id` identifies them.)
 */
const REQUIRED_PATHS = [
  ['object'],
  ['entry'],
  ['entry', 0],
  ['entry', 0, 'changes'],
  ['entry', 0, 'changes', 0],
  ['entry', 0, 'changes', 0, 'value'],
  ['entry', 0, 'changes', 0, 'value', 'messages'],
  ['entry', 0, 'changes', 0, 'value', 'messages', 0],
  ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'id'],
  ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'timestamp'],
  ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'type'],
  ['entry', 0, 'changes', 0, 'value', 'metadata'],
];
const WRONG_VALUES = [null, 42, -1.5, true, [], {}, [[[]]], { $gt: '' }];

function typeOf(value) {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function getPath(obj, path) {
  return path.reduce((node, key) => node[key], obj);
}

function setPath(obj, path, value) {
  let node = obj;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)] = value;
}

/** A webhook body case: bytes, headers and the answers allowed for it. */
const caseArb = fc.oneof(
  // Random JSON values, validly signed with the server-wide secret (they name no number).
  {
    weight: 3,
    arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => {
      const raw = Buffer.from(JSON.stringify(v) ?? 'null');
      return { kind: 'random-json', raw, signature: sign(raw, SERVER_SECRET), allowed: [400] };
    }),
  },
  // Random JSON with a random or missing signature.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.jsonValue({ maxDepth: 4 }), fc.option(fc.string({ maxLength: 80 })))
      .map(([v, sig]) => {
        const raw = Buffer.from(JSON.stringify(v) ?? 'null');
        return { kind: 'random-json-forged', raw, signature: sig ?? undefined, allowed: [401] };
      }),
  },
  // A valid webhook, wrongly signed (other secret, sha1, truncated hex, another body's hash).
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(1_000_000), fc.constantFrom('other', 'sha1', 'short', 'case', 'none', 'empty'))
      .map(([i, how]) => {
        const raw = Buffer.from(metaJsonStringify(validPayload(i)));
        const good = sign(raw);
        const signature = {
          other: sign(raw, 'not-the-secret'),
          sha1: good.replace('sha256=', 'sha1='),
          short: good.slice(0, -2),
          case: good.toUpperCase(),
          none: undefined,
          empty: '',
        }[how];
        return { kind: `forged-${how}`, raw, signature, allowed: [401] };
      }),
  },
  // A valid webhook truncated at a random byte, signed over the truncated bytes.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat(1_000_000), fc.double({ min: 0, max: 0.999, noNaN: true }))
      .map(([i, at]) => {
        const full = Buffer.from(metaJsonStringify(validPayload(i)));
        const raw = full.subarray(0, Math.floor(full.length * at));
        return {
          kind: 'truncated',
          raw,
          signature: sign(raw),
          allowed: raw.length ? [400] : [400, 401],
        };
      }),
  },
  // A valid webhook with one required field of the wrong type, validly signed.
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.nat(1_000_000),
        fc.constantFrom(...REQUIRED_PATHS),
        fc.constantFrom(...WRONG_VALUES),
      )
      // A value of the right type (an empty array where an array belongs) is not a wrong type.
      .filter(([, path, value]) => typeOf(getPath(validPayload(0), path)) !== typeOf(value))
      .map(([i, path, value]) => {
        const payload = validPayload(i);
        setPath(payload, path, value);
        const raw = Buffer.from(metaJsonStringify(payload));
        // Without a readable phone number id the server-wide secret applies: then 401.
        return { kind: 'wrong-type', raw, signature: sign(raw), allowed: [400, 401] };
      }),
  },
  // Huge arrays: over the body limit (413), or under it (400 when signed).
  {
    weight: 1,
    arbitrary: fc.constantFrom('over', 'under').map((size) => {
      const payload = validPayload(1);
      // "1," per item: 1.7 M items is over the 3 MB default body limit.
      const n = size === 'over' ? 1_700_000 : 20_000;
      payload.entry[0].changes[0].value.messages = Array.from({ length: n }, () => 1);
      const raw = Buffer.from(metaJsonStringify(payload));
      return {
        kind: `huge-array-${size}`,
        raw,
        signature: sign(raw),
        allowed: size === 'over' ? [413] : [400],
      };
    }),
  },
  // Deep nesting, signed and unsigned.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.boolean(), fc.constantFrom('[', '{"a":'))
      .map(([depth, signed, open]) => {
        const close = open === '[' ? ']' : '}';
        const raw = Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`);
        return {
          kind: 'deep-nesting',
          raw,
          signature: signed ? sign(raw, SERVER_SECRET) : undefined,
          allowed: signed ? [400, 413] : [400, 401, 413],
        };
      }),
  },
  // Invalid UTF-8 inside an otherwise valid webhook, validly signed: not JSON (RFC 8259).
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.nat(1_000_000),
        fc.constantFrom(
          [0xff],
          [0xc3, 0x28],
          [0xe2, 0x28, 0xa1],
          [0xf0, 0x90, 0x28],
          [0xed, 0xa0, 0x80],
        ),
      )
      .map(([i, bad]) => {
        const text = Buffer.from(metaJsonStringify(validPayload(i)));
        const at = text.indexOf(Buffer.from(`hola ${i}`));
        const raw = Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]);
        return { kind: 'invalid-utf8', raw, signature: sign(raw), allowed: [400] };
      }),
  },
  // A valid, validly signed webhook sent with a content type other than JSON.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.nat(1_000_000),
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          '',
        ),
      )
      .map(([i, contentType]) => {
        const raw = Buffer.from(metaJsonStringify(validPayload(i)));
        return {
          kind: `content-type:${contentType || 'none'}`,
          raw,
          signature: sign(raw),
          contentType,
          allowed: [415],
        };
      }),
  },
);

async function postRaw(url, c) {
  const headers = { 'content-type': c.contentType ?? 'application/json' };
  if (c.contentType === '') delete headers['content-type'];
  if (c.signature !== undefined) headers['x-hub-signature-256'] = c.signature;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: c.raw,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  } catch (err) {
    return { status: 0, error: err.cause?.code ?? err.name };
  }
}

export async function webhookAbuse() {
  // Refused bodies store nothing, so the issue's full 10,000 stay cheap at any scale.
  const total = 10_000;
  const stack = await startScenarioStack({ name: 'webhook-abuse' });
  try {
    const cases = fc.sample(caseArb, { numRuns: total, seed: 20_261_128 });
    const byKind = {};
    const unexpected = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const r = await postRaw(stack.webhookUrl, c);
        const k = (byKind[c.kind] ??= {});
        k[r.status] = (k[r.status] ?? 0) + 1;
        const shaped = r.status >= 400 && r.status < 500 && isErrorShape(r.body, r.status);
        // Fastify answers 413 as soon as the limit is crossed and closes the connection, so a
        // client still writing the rest of a huge body may see the reset instead of the answer.
        const cutOff =
          c.kind === 'huge-array-over' &&
          r.status === 0 &&
          ['EPIPE', 'ECONNRESET'].includes(r.error);
        if (!cutOff && (!c.allowed.includes(r.status) || !shaped)) {
          unexpected.push({
            kind: c.kind,
            status: r.status,
            allowed: c.allowed,
            shaped,
            error: r.error,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const problems = [];
    const health = await apiHealthy(stack.api.url);
    if (stack.api.child.exitCode !== null || stack.api.child.signalCode !== null) {
      problems.push('the API process died');
    } else if (health !== 200) problems.push(`health answers ${health}`);
    const stored = {
      inbox: await stack.db.collection('whatsapp_inbox').countDocuments({}),
      messages: await stack.db.collection('messages').countDocuments({}),
      conversations: await stack.db.collection('conversations').countDocuments({}),
    };
    for (const [name, n] of Object.entries(stored)) {
      if (n > 0) problems.push(`${n} documents stored in ${name}`);
    }
    const grouped = {};
    for (const u of unexpected) {
      const key = `${u.kind} → ${u.status}${u.error ? ` (${u.error})` : ''}${u.shaped ? '' : ' without the error shape'} (allowed ${u.allowed.join('/')})`;
      grouped[key] = (grouped[key] ?? 0) + 1;
    }
    for (const [key, n] of Object.entries(grouped)) problems.push(`${n}× ${key}`);
    const answers = {};
    for (const k of Object.values(byKind)) {
      for (const [s, n] of Object.entries(k)) answers[s] = (answers[s] ?? 0) + n;
    }
    return {
      outcome: {
        sent: total,
        accepted: 0,
        stored: stored.inbox + stored.messages,
        answered: stack.fake.sentMessages().length,
        duplicates: 0,
        lost: 0,
      },
      problems,
      notes: [
        `${total} generated bodies (fast-check, fixed seed); answers ${JSON.stringify(answers)}`,
        `by kind: ${Object.entries(byKind)
          .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
          .join('; ')}`,
      ],
    };
  } finally {
    await stack.close();
  }
}

// ---- (b) REST endpoints ------------------------------------------------------------------------

const BAD_IDS = [
  'x',
  '0',
  '-1',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  '6650f0c2a1b2c3d4e5f6071',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  encodeURIComponent("'; db.dropDatabase(); '"),
  '%00',
  encodeURIComponent('{"$gt":""}'),
  'a'.repeat(600),
  '..%2F..%2Fetc',
];

/**
 * Values for a query parameter: junk any parameter must survive (`must` false: never a 5xx), and
 * values its declared type or constraints make invalid (`must`: a 4xx).
 */
function wrongQueryValues(schema = {}) {
  const values = ['', '%00', encodeURIComponent('{"$ne":null}'), 'a'.repeat(3000)].map((value) => ({
    value,
    must: false,
  }));
  const invalid = [];
  if (schema.enum) invalid.push('not-a-valid-value');
  if (schema.type === 'integer' || schema.type === 'number') invalid.push('abc', '1e999', '1.5.5');
  if (schema.type === 'boolean') invalid.push('maybe');
  if (schema.type === 'string' && (schema.pattern || schema.format)) invalid.push('!!invalid!!');
  return values.concat(invalid.map((value) => ({ value, must: true })));
}

function resolveRef(doc, schema) {
  let s = schema;
  for (let i = 0; i < 10 && s && s.$ref; i++) {
    s = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node, key) => node?.[key], doc);
  }
  return s ?? {};
}

function wrongFor(prop) {
  if (prop.type === 'string') return [42, null, ['a'], { $gt: '' }];
  if (prop.type === 'integer' || prop.type === 'number') return ['abc', -1e308, {}, true];
  if (prop.type === 'boolean') return ['yes', 2, null];
  if (prop.type === 'array') return ['not-an-array', { 0: 'a' }, [null, { $where: '1' }]];
  return [12, 'string', []];
}

function invalidBodies(doc, op) {
  const schema = resolveRef(doc, op.requestBody?.content?.['application/json']?.schema ?? {});
  const bodies = [
    { raw: 'null' },
    { raw: '[]' },
    { raw: '"text"' },
    { raw: '{"unterminated": ' },
    { raw: '{}'.padStart(5000, ' ') + ',' },
    {
      raw: JSON.stringify({
        __proto__injection: true,
        constructor: { prototype: { isAdmin: true } },
      }),
    },
    { raw: '{"a":1}', contentType: 'text/plain' },
    { raw: '<xml/>', contentType: 'application/xml' },
  ];
  const props = Object.entries(schema.properties ?? {});
  for (const [name, prop] of props) {
    const resolved = resolveRef(doc, prop);
    for (const wrong of wrongFor(resolved)) bodies.push({ raw: JSON.stringify({ [name]: wrong }) });
  }
  const required = schema.required ?? [];
  if (required.length > 0) {
    // Every property but one required one: still invalid.
    const almost = {};
    for (const [name] of props) if (name !== required[0]) almost[name] = 'x';
    bodies.push({ raw: JSON.stringify(almost) });
  }
  bodies.push({
    raw: JSON.stringify({
      ...Object.fromEntries(props.map(([n]) => [n, { $ne: 1 }])),
      unknownField: 1,
    }),
  });
  return bodies;
}

async function session(apiUrl) {
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = cookies.find((c) => c.startsWith('conecta_csrf='))?.split('=')[1] ?? '';
  return { cookie: cookies.join('; '), 'x-csrf-token': decodeURIComponent(csrf) };
}

// Operations that would end the suite's own session or have no input to make invalid.
const SKIP = new Set(['POST /api/v1/auth/logout']);

export async function restAbuse() {
  const stack = await startScenarioStack({ name: 'rest-abuse' });
  try {
    const doc = await (await fetch(`${stack.api.url}/api/docs-json`)).json();
    let auth = await session(stack.api.url);
    const results = { total: 0, byStatus: {} };
    const problems = [];
    const failures = {};
    const operations = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (item[method]) operations.push({ path, method: method.toUpperCase(), op: item[method] });
      }
    }
    const call = async (method, url, raw, contentType, must4xx, label) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const headers = { ...auth };
        if (raw !== undefined) headers['content-type'] = contentType ?? 'application/json';
        let status = 0;
        let body = null;
        try {
          const res = await fetch(`${stack.api.url}${url}`, {
            method,
            headers,
            body: raw,
            signal: AbortSignal.timeout(15_000),
          });
          status = res.status;
          const text = await res.text();
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = text;
          }
        } catch (err) {
          status = 0;
          body = String(err.cause?.code ?? err.name);
        }
        // A locked-out or expired session is the suite's problem, not the endpoint's: once more.
        if (status === 401 && attempt === 0 && !url.startsWith('/api/v1/auth/')) {
          auth = await session(stack.api.url);
          continue;
        }
        results.total += 1;
        results.byStatus[status] = (results.byStatus[status] ?? 0) + 1;
        const is4xx = status >= 400 && status < 500;
        let problem;
        if (status === 0 || status >= 500) problem = `${status || body}`;
        else if (status >= 400 && !isErrorShape(body, status))
          problem = `${status} without the error shape`;
        else if (must4xx && !is4xx) problem = `${status} (expected a 4xx)`;
        if (problem) {
          const key = `${label}: ${method} ${url.slice(0, 120)} → ${problem}`;
          failures[key] = (failures[key] ?? 0) + 1;
        }
        return;
      }
    };
    for (const { path, method, op } of operations) {
      const key = `${method} ${path}`;
      if (SKIP.has(key) || path.includes('/docs')) continue;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const fill = (value) => path.replace(/\{[^}]+\}/g, value);
      const okId = '000000000000000000000000';
      const hasBody = Boolean(op.requestBody);
      // Invalid ids (bodies, where required, are valid-looking but irrelevant: the id fails first).
      if (pathParams.length > 0) {
        for (const id of BAD_IDS) {
          await call(method, fill(id), hasBody ? '{}' : undefined, undefined, true, 'bad id');
        }
      }
      // Invalid query strings for declared parameters (must be a 4xx when the value is
      // constrained), and junk parameters (never a 5xx).
      for (const p of params.filter((q) => q.in === 'query')) {
        const schema = resolveRef(doc, p.schema ?? {});
        for (const { value, must } of wrongQueryValues(schema)) {
          const url = `${fill(okId)}?${p.name}=${value}`;
          await call(method, url, hasBody ? '{}' : undefined, undefined, must, `query ${p.name}`);
        }
        await call(
          method,
          `${fill(okId)}?${p.name}=1&${p.name}=2&${p.name}[$ne]=x`,
          undefined,
          undefined,
          false,
          `query ${p.name} array`,
        );
      }
      if (method === 'GET' || hasBody) {
        await call(
          method,
          `${fill(okId)}?__proto__[polluted]=1&$where=1&a[b][c][d][e]=1`,
          hasBody ? '{}' : undefined,
          undefined,
          false,
          'junk query',
        );
      }
      // Invalid bodies.
      if (hasBody) {
        for (const b of invalidBodies(doc, op)) {
          await call(method, fill(okId), b.raw, b.contentType, true, 'bad body');
        }
      }
    }
    const health = await apiHealthy(stack.api.url);
    if (health !== 200) problems.push(`health answers ${health}`);
    for (const [k, n] of Object.entries(failures)) problems.push(`${n}× ${k}`);
    return {
      outcome: {
        sent: results.total,
        accepted: '–',
        stored: '–',
        answered: '–',
        duplicates: '–',
        lost: '–',
      },
      problems: problems
        .slice(0, 40)
        .concat(problems.length > 40 ? [`… and ${problems.length - 40} more`] : []),
      notes: [
        `${operations.length} operations from /api/docs-json; ${results.total} requests; answers ${JSON.stringify(results.byStatus)}`,
      ],
    };
  } finally {
    await stack.close();
  }
}
