import { Global, Module } from '@nestjs/common';
import { GraphClientFactory } from './graph-client.factory';
import { GraphMetrics } from './graph-metrics.service';

/** Global: {@link GraphClientFactory} for integrations, the webhook and the sender. */
@Global()
@Module({
  providers: [GraphClientFactory, GraphMetrics],
  exports: [GraphClientFactory],
})
export class WhatsAppGraphModule {}
