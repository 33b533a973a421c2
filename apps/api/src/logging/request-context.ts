import type { FastifyInstance } from 'fastify';
import { storage } from 'nestjs-pino/storage';

/** The dashboards' event stream (SSE): open for as long as a dashboard is, so not counted. */
const LONG_LIVED_ROUTES: ReadonlySet<string> = new Set(['/api/v1/events']);

/**
 * Keeps the request-bound logging context (nestjs-pino's AsyncLocalStorage: the request id on every
 * line of a request) on only while a request is in flight. Before Node 24 that storage runs an
 * async hook on every promise of the process, the inbox workers' included, and never stops once
 * a request has started it: ~15% of the API's CPU per inbound message (issue 19). The next request
 * starts it again; work a request left running after its answer logs without its id.
 */
export function releaseRequestContextWhenIdle(fastify: FastifyInstance): void {
  let inFlight = 0;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!LONG_LIVED_ROUTES.has(request.routeOptions.url ?? '')) {
      inFlight += 1;
      // 'close' comes once per response, answered or aborted.
      reply.raw.once('close', () => {
        inFlight -= 1;
        if (inFlight === 0) storage.disable();
      });
    }
    done();
  });
}
