import { Injectable, Logger } from '@nestjs/common';
import type { ActiveIntegration } from './integrations.types';

export type ConnectedListener = (integration: ActiveIntegration) => Promise<unknown>;

/**
 * What other capabilities do when a number is connected (templates sync), without the
 * integrations module knowing them. A listener's failure is logged, never fails the connect.
 */
@Injectable()
export class IntegrationLifecycle {
  private readonly logger = new Logger('IntegrationLifecycle');
  private readonly listeners: ConnectedListener[] = [];

  onConnected(listener: ConnectedListener): void {
    this.listeners.push(listener);
  }

  async connected(integration: ActiveIntegration): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(integration);
      } catch (err) {
        this.logger.warn(
          { integrationId: integration.id, err: err instanceof Error ? err.name : String(err) },
          'a connect listener failed',
        );
      }
    }
  }
}
