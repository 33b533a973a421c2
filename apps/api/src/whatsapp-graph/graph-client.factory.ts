import { Inject, Injectable, Logger } from '@nestjs/common';
import { type GraphRequestEvent, WhatsAppGraphClient } from '@conecta/graph-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export type GraphRequestListener = (event: GraphRequestEvent) => void;

/**
 * The one place that builds WhatsApp Graph clients: base URL (Meta, or what demo mode sets), API version,
 * timeouts, retry policy, and the request hook that metrics subscribe to.
 */
@Injectable()
export class GraphClientFactory {
  private readonly logger = new Logger(GraphClientFactory.name);
  private readonly listeners = new Set<GraphRequestListener>();
  private baseUrlOverride: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Base URL of the Graph API in use: the configured one unless {@link useBaseUrl} replaced it. */
  get baseUrl(): string {
    return this.baseUrlOverride || this.config.whatsapp.baseUrl;
  }

  /** Points every client built from now on at another Graph API (demo mode's in-process fake). */
  useBaseUrl(baseUrl: string): void {
    this.baseUrlOverride = baseUrl;
  }

  /** A client acting with this access token. Cheap: build one per use. */
  forToken(accessToken: string): WhatsAppGraphClient {
    return new WhatsAppGraphClient({
      accessToken,
      baseUrl: this.baseUrl,
      apiVersion: this.config.whatsapp.apiVersion,
      timeoutMs: this.config.whatsapp.timeoutMs,
      retry: this.config.whatsapp.retry,
      onRequest: (event) => this.emit(event),
    });
  }

  /** Subscribes to every Graph call attempt (never holds the token); returns the unsubscriber. */
  onRequest(listener: GraphRequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: GraphRequestEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn({ err }, 'a graph request listener failed');
      }
    }
  }
}
