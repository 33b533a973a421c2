import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditNamesRepository } from './audit-names.repository';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AUDIT_MODEL, AuditSchema } from './audit.schema';
import { AuditService } from './audit.service';

/** Global: every feature records its changes through {@link AuditService}. */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: AUDIT_MODEL, schema: AuditSchema }])],
  controllers: [AuditController],
  providers: [AuditRepository, AuditNamesRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
