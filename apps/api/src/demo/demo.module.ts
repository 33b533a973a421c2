import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { DemoController } from './demo.controller';
import { DemoGraph } from './demo-graph';
import { DemoService } from './demo.service';

/**
 * `/api/v1/demo`: demo credentials and simulated inbound messages. In demo mode it starts the
 * in-process fake Graph API ({@link DemoGraph}, null otherwise) and points the graph clients at it.
 */
@Module({
  imports: [IntegrationsModule],
  controllers: [DemoController],
  providers: [
    {
      provide: DemoGraph,
      inject: [APP_CONFIG, GraphClientFactory],
      useFactory: async (
        config: AppConfig,
        graph: GraphClientFactory,
      ): Promise<DemoGraph | null> => {
        if (!config.whatsapp.demo) return null;
        const demo = new DemoGraph(config);
        await demo.start();
        graph.useBaseUrl(demo.baseUrl);
        return demo;
      },
    },
    DemoService,
  ],
})
export class DemoModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(DemoGraph) private readonly demo: DemoGraph | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.demo?.stop();
  }
}
