import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every Prometheus metric of the API, in one registry per app instance (so tests can boot several
 * apps in one process). Modules record through these fields; `/metrics` renders the registry.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly webhookRequests = new Counter({
    name: 'conecta_webhook_requests_total',
    help: 'WhatsApp webhook POSTs by outcome (accepted, duplicate, bad_signature, malformed, ignored, unavailable)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookSuspicious = new Counter({
    name: 'conecta_webhook_suspicious_total',
    help: 'Rejected webhook requests by reason (missing_signature, bad_signature, unknown_object, ...)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly intakeLatency = new Histogram({
    name: 'conecta_webhook_intake_seconds',
    help: 'Time from webhook request to the durable inbox write',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly processingLatency = new Histogram({
    name: 'conecta_inbox_processing_seconds',
    help: 'Time from an inbox event being stored to being processed, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly inboxDepth = new Gauge({
    name: 'conecta_inbox_depth',
    help: 'Inbox events by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly inboxOldestPendingAge = new Gauge({
    name: 'conecta_inbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending inbox event',
    registers: [this.registry],
  });

  readonly workerHeartbeat = new Gauge({
    name: 'conecta_inbox_worker_heartbeat_timestamp_seconds',
    help: 'Unix time of the inbox worker’s last poll',
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: 'conecta_messages_sent_total',
    help: 'Bot replies sent to WhatsApp by outcome (sent, failed, retried) and error type',
    labelNames: ['outcome', 'error_type'] as const,
    registers: [this.registry],
  });

  readonly accountNotices = new Counter({
    name: 'conecta_whatsapp_account_notices_total',
    help: 'Management webhooks (template, account, quality, alerts, display name) by field, known kind (else other) and outcome (stored, ignored)',
    labelNames: ['field', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphCalls = new Counter({
    name: 'conecta_graph_api_calls_total',
    help: 'Graph API calls by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphLatency = new Histogram({
    name: 'conecta_graph_api_call_seconds',
    help: 'Graph API call latency by endpoint',
    labelNames: ['endpoint'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly integrationOperations = new Counter({
    name: 'conecta_integration_operations_total',
    help: 'Integration create/update/delete/test operations by outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly integrationsInError = new Gauge({
    name: 'conecta_integrations_in_error',
    help: 'Active integrations whose status is error, by reason (their error type; ACCOUNT_RESTRICTED also for a restriction, ban or deletion Meta reported)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly httpLatency = new Histogram({
    name: 'conecta_http_request_seconds',
    help: 'HTTP request latency by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'conecta_' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
