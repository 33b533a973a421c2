import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../database/repository-helpers';
import { NUMBER_THROTTLES_COLLECTION, type NumberThrottleDoc } from './number-throttle.schema';

/** The per-number send holds, through the plain driver (lookups by `_id` only: no index to add). */
@Injectable()
export class NumberThrottlesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get throttles(): Collection<NumberThrottleDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<NumberThrottleDoc>(NUMBER_THROTTLES_COLLECTION);
  }

  async throttledUntil(phoneNumberId: string): Promise<Date | null> {
    const doc = await this.throttles.findOne({ _id: phoneNumberId });
    return doc?.throttledUntil ?? null;
  }

  /** Sets the number's hold; two processes writing at once: the last write wins. */
  async hold(phoneNumberId: string, until: Date): Promise<void> {
    const write = () =>
      this.throttles.updateOne(
        { _id: phoneNumberId },
        { $set: { throttledUntil: until } },
        { upsert: true },
      );
    try {
      await write();
    } catch (err) {
      // Two first upserts raced on the unique _id: the document exists now, so this one updates.
      if (!isDuplicateKeyError(err)) throw err;
      await write();
    }
  }
}
