import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountsModule } from './accounts/accounts.module';
import { AgentRepliesModule } from './agent-replies/agent-replies.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChatbotsModule } from './chatbots/chatbots.module';
import { Clock, ClockModule } from './common/clock';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { ContactsModule } from './conversations/contacts.module';
import { ConversationsModule } from './conversations/conversations.module';
import { DatabaseModule, DatabaseOptions } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { CryptoModule } from './crypto/crypto.module';
import type { HostResolver } from './egress/egress-policy';
import { EgressModule } from './egress/egress.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { LoggingModule } from './logging/logging.module';
import { WhatsAppGraphModule } from './whatsapp-graph/whatsapp-graph.module';
import { MetricsModule } from './metrics/metrics.module';
import { RespondersModule } from './responders/responders.module';
import { TeamModule } from './team/team.module';
import { TemplatesModule } from './templates/templates.module';
import { UsageModule } from './usage/usage.module';
import { WebChatModule } from './web-chat/web-chat.module';
import { WhatsAppWebhookModule } from './whatsapp-webhook/whatsapp-webhook.module';

export interface AppModuleOptions {
  config: AppConfig;
  database: DatabaseOptions;
  resolver?: HostResolver;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options.config),
        ClockModule.forRoot(options.clock),
        LoggingModule.forRoot(options.config),
        DatabaseModule.forRoot(options.database),
        HealthModule,
        CryptoModule,
        EgressModule.forRoot(options.resolver),
        AuditModule,
        EventsModule,
        AccountsModule,
        ApiKeysModule,
        AuthModule,
        ChatbotsModule,
        RespondersModule,
        MetricsModule,
        ScheduleModule.forRoot(),
        ConversationsModule,
        WhatsAppGraphModule,
        IntegrationsModule,
        DemoModule,
        WebChatModule,
        WhatsAppWebhookModule,
        AgentRepliesModule,
        TemplatesModule,
        UsageModule,
        ContactsModule,
        TeamModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
