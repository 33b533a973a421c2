import { Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DemoGraph } from '../demo/demo-graph';
import { GraphClientFactory } from './graph-client.factory';
import { GraphMetrics } from './graph-metrics.service';

/**
 * Global: {@link GraphClientFactory} for integrations and the webhook, and in demo mode the
 * in-process fake Graph API ({@link DemoGraph}, null otherwise) that stands in for Meta.
 */
@Global()
@Module({
  providers: [
    {
      provide: DemoGraph,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DemoGraph | null> => {
        if (!config.whatsapp.demo) return null;
        const demo = new DemoGraph(config);
        await demo.start();
        return demo;
      },
    },
    GraphClientFactory,
    GraphMetrics,
  ],
  exports: [GraphClientFactory, DemoGraph],
})
export class WhatsAppGraphModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(DemoGraph) private readonly demo: DemoGraph | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.demo?.stop();
  }
}
