export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  db: 'up' | 'down';
  version: string;
  [extra: string]: unknown;
}
