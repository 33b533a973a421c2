import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountNoticesModule } from '../account-notices/account-notices.module';
import { ChatbotsModule } from '../chatbots/chatbots.module';
import { ConnectionTester } from './connection-tester';
import { INTEGRATION_MODEL, IntegrationSchema } from './integration.schema';
import {
  INTEGRATION_ACTIVITY_MODEL,
  IntegrationActivitySchema,
} from './integration-activity.schema';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsHealthCheck } from './integrations-health.service';
import { IntegrationsMetrics } from './integrations-metrics.service';
import { IntegrationLifecycle } from './integration-lifecycle';
import { IntegrationsRepository } from './integrations.repository';
import { IntegrationRouting } from './integration-routing.service';
import { IntegrationStatusService } from './integration-status.service';
import { IntegrationsService } from './integrations.service';
import { WhatsAppFeatureGuard } from './whatsapp-feature.guard';

/** WhatsApp integrations: the REST API, the health check, and the lookups the webhook uses. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: INTEGRATION_MODEL, schema: IntegrationSchema },
      { name: INTEGRATION_ACTIVITY_MODEL, schema: IntegrationActivitySchema },
    ]),
    ChatbotsModule,
    AccountNoticesModule,
  ],
  controllers: [IntegrationsController],
  providers: [
    IntegrationsRepository,
    IntegrationsService,
    IntegrationRouting,
    IntegrationStatusService,
    ConnectionTester,
    IntegrationsHealthCheck,
    IntegrationsMetrics,
    WhatsAppFeatureGuard,
    IntegrationLifecycle,
  ],
  exports: [
    IntegrationRouting,
    IntegrationStatusService,
    WhatsAppFeatureGuard,
    IntegrationLifecycle,
  ],
})
export class IntegrationsModule {}
