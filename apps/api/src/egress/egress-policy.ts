import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Resolves a host name to its addresses (the DNS edge; tests inject one that never leaves the machine). */
export type HostResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true });

/** Why an outbound request to a tenant-chosen URL was not made. */
export class EgressRefused extends Error {
  constructor(
    readonly reason: 'SCHEME' | 'URL_PARTS' | 'PRIVATE_ADDRESS' | 'UNRESOLVED' | 'REDIRECT',
    message: string,
  ) {
    super(message);
    this.name = 'EgressRefused';
  }
}

const FORBIDDEN = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach any IPv4
  ['2002::', 16], // 6to4 embeds an IPv4
] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv6');
}

/** True when an address is loopback, private, link-local, metadata or otherwise not the internet. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return FORBIDDEN.check(mapped[1], 'ipv4');
  // ::ffff:7f00:1 is the hex spelling of a mapped IPv4 address.
  if (/^::ffff:/i.test(address) || /^::(\d|[a-f])/i.test(address)) return true;
  return FORBIDDEN.check(address, 'ipv6');
}

export interface EgressResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

export interface EgressRequest {
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
}

/**
 * The one door for requests to URLs a tenant chose (a chatbot's LLM endpoint): http(s) only, no
 * credentials or fragment in the URL, no redirects followed, and — unless the operator allows
 * private targets — every address the host resolves to, checked at connect time (so DNS cannot
 * change its answer between the check and the connection), must be a public one.
 */
export class EgressPolicy {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: HostResolver = systemResolver,
  ) {}

  /** Parses and checks a tenant URL without connecting; throws {@link EgressRefused}. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new EgressRefused('URL_PARTS', 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new EgressRefused('SCHEME', 'only http and https are allowed');
    }
    if (url.username || url.password || url.hash || raw.includes('#') || url.search) {
      throw new EgressRefused('URL_PARTS', 'credentials, query or fragment are not allowed');
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (!this.allowPrivate && isIP(literal) !== 0 && isForbiddenAddress(literal)) {
      throw new EgressRefused('PRIVATE_ADDRESS', 'the address is not a public one');
    }
    return url;
  }

  /** Sends one request through the policy; a 3xx answer is refused, never followed. */
  async request(raw: string, req: EgressRequest): Promise<EgressResponse> {
    const url = this.parse(raw);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = send(
        url,
        {
          method: req.method,
          headers: req.headers,
          signal: req.signal,
          lookup: this.checkedLookup(),
          // One connection per request: a pooled socket would skip the connect-time check.
          agent: false,
        },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
    if (
      response.statusCode !== undefined &&
      response.statusCode >= 300 &&
      response.statusCode < 400
    ) {
      response.resume();
      throw new EgressRefused('REDIRECT', `the endpoint redirected (${response.statusCode})`);
    }
    return { status: response.statusCode ?? 0, headers: response.headers, body: response };
  }

  private checkedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname)
        .then((all) => {
          const wanted = typeof options === 'object' ? options.family : undefined;
          const usable = all.filter((a) => !wanted || a.family === wanted);
          if (usable.length === 0) {
            throw new EgressRefused('UNRESOLVED', 'the host name does not resolve');
          }
          if (!this.allowPrivate && usable.some((a) => isForbiddenAddress(a.address))) {
            throw new EgressRefused('PRIVATE_ADDRESS', 'the host resolves to a non-public address');
          }
          const first = usable[0] as { address: string; family: number };
          if (typeof options === 'object' && options.all) {
            callback(null, usable);
          } else {
            callback(null, first.address, first.family);
          }
        })
        .catch((err: unknown) => callback(err as NodeJS.ErrnoException, '', 0));
    };
  }
}
