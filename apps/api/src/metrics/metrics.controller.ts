import { Controller, Get, Header, Headers, Inject, Ip } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { safeEqual } from '../crypto/safe-equal';
import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Prometheus metrics at `/metrics` (outside `/api`). With METRICS_TOKEN set, a matching Bearer
 * token is required; without it, only loopback callers are answered.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Ip() ip: string,
  ): Promise<string> {
    const token = this.config.metricsToken;
    const allowed = token
      ? safeEqual(authorization?.replace(/^Bearer\s+/i, '') ?? '', token)
      : LOOPBACK.has(ip);
    if (!allowed) throw new AppError('UNAUTHORIZED', 'A valid metrics token is required');
    return this.metrics.render();
  }
}
