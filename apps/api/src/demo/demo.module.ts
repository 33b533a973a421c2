import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module';
import { DemoController } from './demo.controller';
import { DemoService } from './demo.service';

/** `/api/v1/demo`: demo credentials and simulated inbound messages (see {@link DemoGraph}). */
@Module({
  imports: [IntegrationsModule],
  controllers: [DemoController],
  providers: [DemoService],
})
export class DemoModule {}
