import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { HealthResponse } from '@conecta/contracts';
import type { Connection } from 'mongoose';
import { AppError } from '../common/errors/app-error';
import { APP_VERSION } from '../version';

const PING_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async check(): Promise<HealthResponse> {
    const db = (await this.pingDb()) ? 'up' : 'down';
    if (db === 'down') {
      throw new AppError('SERVICE_UNAVAILABLE', 'The database is unreachable', {
        status: 'down',
        db,
        version: APP_VERSION,
      });
    }
    return { status: 'ok', db, version: APP_VERSION };
  }

  private async pingDb(): Promise<boolean> {
    const database = this.connection.db;
    if (!database || this.connection.readyState !== 1) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timeout')), PING_TIMEOUT_MS);
      });
      await Promise.race([database.command({ ping: 1 }), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
