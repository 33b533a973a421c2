import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IntegrationsModule } from '../integrations/integrations.module';
import { TemplateSchema, WhatsAppTemplate } from './template.schema';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** WhatsApp message templates: synced per integration from Meta, listed, looked up for sends. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: WhatsAppTemplate.name, schema: TemplateSchema }]),
    IntegrationsModule,
  ],
  controllers: [TemplatesController],
  providers: [TemplatesRepository, TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
