// The load generator, run as its own process so it does not share a core's event loop with the
// server: autocannon POSTs signed single-message webhooks, each with a unique wamid.
// Usage: node bench/support/load-webhooks.mjs <url> <appSecret> <phoneNumberId> <seconds> <connections> [ratePerSecond]
// Prints one JSON line: { requests, rps, p50, p99, non2xx, errors }.
import { createHmac, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

const [url, appSecret, phoneNumberId, seconds = '10', connections = '50', rate] =
  process.argv.slice(2);
const prefix = randomBytes(4).toString('hex');
let n = 0;

function body() {
  n += 1;
  const from = `5215${String(n).padStart(8, '0')}`;
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Cliente Bench' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.bench.${prefix}.${n}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `Hola, ¿tienen envío? #${n}` },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  // Meta escapes non-ASCII and '/'; the signature is over these exact bytes.
  return JSON.stringify(payload)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  duration: Number(seconds),
  ...(rate ? { overallRate: Number(rate) } : {}),
  requests: [
    {
      setupRequest: (req) => {
        const raw = body();
        const signature = `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
        return {
          ...req,
          body: raw,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        };
      },
    },
  ],
});

process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  })}\n`,
);
