import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AppError } from '../common/errors/app-error';
import type { AuthedRequest } from '../common/auth/decorators';

/**
 * The rollback switch and the beta rollout: `WHATSAPP_ENABLED=false` turns the integration
 * endpoints off for everyone; `WHATSAPP_BETA_WORKSPACES` (when set) limits them to listed workspaces.
 * Both answer 503 FEATURE_DISABLED. Runs after the global auth guard.
 */
@Injectable()
export class WhatsAppFeatureGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.whatsapp.enabled) {
      throw new AppError('FEATURE_DISABLED', 'WhatsApp is turned off on this server', {
        feature: 'whatsapp',
        scope: 'server',
      });
    }
    const allowed = this.config.whatsapp.workspaces;
    if (allowed) {
      const auth = context.switchToHttp().getRequest<AuthedRequest>().auth;
      if (!auth || !allowed.includes(auth.workspaceId)) {
        throw new AppError('FEATURE_DISABLED', 'WhatsApp is not enabled for this workspace yet', {
          feature: 'whatsapp',
          scope: 'workspace',
        });
      }
    }
    return true;
  }
}
