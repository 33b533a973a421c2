import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isDuplicateKeyError } from './repository-helpers';

export const JOB_RUNS_COLLECTION = 'job_runs';

interface JobRunDoc {
  /** `<job>:<slot>`: unique, so one process per slot wins the insert. */
  _id: string;
  job: string;
  slot: number;
  holder: string;
  at: Date;
}

/** Slots kept after their time (a late process must still find its slot taken). */
const KEEP_SLOTS = 24;
const MIN_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Milliseconds from `now` to the middle of the slot `ahead` slots after the one containing `now`.
 * Processes fire their jobs mid-slot: clocks a little apart then still agree on the slot, where at
 * its boundary one would take the slot ending and another the slot starting (two runs).
 */
export function untilSlotMiddle(slotMs: number, now: Date, ahead = 1): number {
  const slot = Math.floor(now.getTime() / slotMs);
  return (slot + ahead + 0.5) * slotMs - now.getTime();
}

/**
 * Runs a scheduled job once across every process on the database, not once per process. Time
 * (the injected clock) is cut into slots of the job's interval; the first process to insert the
 * slot's document runs it. A unique insert rather than an update: FerretDB's updates are not
 * atomic. A ROLE=api process never takes a slot.
 */
@Injectable()
export class JobRuns {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get runs(): Collection<JobRunDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<JobRunDoc>(JOB_RUNS_COLLECTION);
  }

  /**
   * True when this process takes `job`'s current slot of `slotMs` (slots count from the epoch, so
   * every process agrees on them); false when another process already took it, or this process
   * serves only the API.
   */
  async acquire(job: string, slotMs: number): Promise<boolean> {
    if (this.config.role === 'api') return false;
    const now = this.clock.now();
    const slot = Math.floor(now.getTime() / slotMs);
    try {
      await this.runs.insertOne({ _id: `${job}:${slot}`, job, slot, holder: this.holder, at: now });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    const keepMs = Math.max(MIN_KEEP_MS, KEEP_SLOTS * slotMs);
    await this.runs.deleteMany({ job, at: { $lt: new Date(now.getTime() - keepMs) } });
    return true;
  }

  /**
   * Takes the `count` slots after the current one without running them, for every process: a
   * job backing off (Meta rate-limited it) then skips them everywhere, not only where the limit
   * was seen. A slot another process already took stays its own.
   */
  async holdNext(job: string, slotMs: number, count: number): Promise<void> {
    const now = this.clock.now();
    const slot = Math.floor(now.getTime() / slotMs);
    for (let next = slot + 1; next <= slot + count; next++) {
      try {
        const holder = `${this.holder} (backoff)`;
        await this.runs.insertOne({ _id: `${job}:${next}`, job, slot: next, holder, at: now });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }
}
