import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** With WHATSAPP_ENABLED=false the webhook does not exist (404), before any other check. */
@Injectable()
export class WebhookEnabledGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.whatsapp.enabled) throw new AppError('NOT_FOUND', 'Route not found');
    return true;
  }
}
