export interface InboxHealth {
  /** Events waiting, and events a worker has claimed but not written yet (a reply being made). */
  pending: number;
  /** Events a worker has written: a reply being sent, or a run taken over after a crash. */
  processing: number;
  dead: number;
  oldestPendingAgeSeconds: number;
}

export interface WorkerHealth {
  /** `off`: no worker runs in this process (disabled or concurrency 0); `stalled`: no poll lately. */
  state: 'running' | 'stalled' | 'off';
  lastHeartbeatSecondsAgo: number | null;
}

/** `GET /api/health`: 200 while the database is up (503 otherwise). */
export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  db: 'up' | 'down';
  version: string;
  /** The WhatsApp inbox backlog, as last counted by the worker (every few seconds). */
  inbox?: InboxHealth;
  worker?: WorkerHealth;
}
