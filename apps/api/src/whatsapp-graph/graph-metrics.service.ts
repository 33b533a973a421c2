import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { GraphRequestEvent } from '@conecta/graph-client';
import { MetricsService } from '../metrics/metrics.service';
import { GraphClientFactory } from './graph-client.factory';

/** Meta's throttling codes (app, WABA, throughput, pair rate). */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);

/** The outcome label of one Graph call attempt. */
export function graphOutcome(event: GraphRequestEvent): string {
  if (event.status === 'network') return 'network_error';
  if (
    event.status === 429 ||
    (event.errorCode !== undefined && RATE_LIMIT_CODES.has(event.errorCode))
  ) {
    return 'rate_limited';
  }
  if (event.status >= 500) return 'server_error';
  if (event.status >= 400) return 'client_error';
  return 'ok';
}

/** Counts every Graph API call attempt by endpoint and outcome, with its latency. */
@Injectable()
export class GraphMetrics implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly factory: GraphClientFactory,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.factory.onRequest((event) => {
      this.metrics.graphCalls.inc({ endpoint: event.endpoint, outcome: graphOutcome(event) });
      this.metrics.graphLatency.observe({ endpoint: event.endpoint }, event.durationMs / 1000);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
