import type { Db } from 'mongodb';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { isDuplicateKeyError } from './repository-helpers';

const CHANGELOG = 'migrations_changelog';
const LOCK = 'migrations_lock';
const LOCK_TTL_MS = 5 * 60_000;

export interface MigrationStatus {
  id: string;
  description: string;
  appliedAt: Date | null;
}

/**
 * Applies and rolls back {@link Migration}s, recording each in a changelog collection. A lock
 * document (unique `_id`) keeps two processes from migrating at once.
 */
export class Migrator {
  constructor(
    private readonly db: Db,
    private readonly migrations: readonly Migration[] = MIGRATIONS,
  ) {}

  async status(): Promise<MigrationStatus[]> {
    const applied = await this.applied();
    return this.migrations.map((m) => ({
      id: m.id,
      description: m.description,
      appliedAt: applied.get(m.id) ?? null,
    }));
  }

  /** Applies every pending migration; returns the ids applied. */
  async up(): Promise<string[]> {
    return this.locked(async () => {
      const applied = await this.applied();
      const done: string[] = [];
      for (const m of this.migrations) {
        if (applied.has(m.id)) continue;
        await m.up(this.db);
        await this.db
          .collection<{ _id: string; description: string; appliedAt: Date }>(CHANGELOG)
          .insertOne({
            _id: m.id,
            description: m.description,
            appliedAt: new Date(),
          });
        done.push(m.id);
      }
      return done;
    });
  }

  /** Rolls back the last applied migration; returns its id, or null when none is applied. */
  async down(): Promise<string | null> {
    return this.locked(async () => {
      const applied = await this.applied();
      const last = [...this.migrations].reverse().find((m) => applied.has(m.id));
      if (!last) return null;
      await last.down(this.db);
      await this.db.collection<{ _id: string }>(CHANGELOG).deleteOne({ _id: last.id });
      return last.id;
    });
  }

  private async applied(): Promise<Map<string, Date>> {
    const rows = await this.db
      .collection<{ _id: string; appliedAt: Date }>(CHANGELOG)
      .find({})
      .toArray();
    return new Map(rows.map((r) => [r._id, r.appliedAt]));
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    const locks = this.db.collection<{ _id: string; at: Date }>(LOCK);
    const deadline = Date.now() + LOCK_TTL_MS;
    for (;;) {
      // A lock older than its TTL belongs to a process that died mid-migration.
      await locks.deleteOne({ _id: 'lock', at: { $lt: new Date(Date.now() - LOCK_TTL_MS) } });
      try {
        await locks.insertOne({ _id: 'lock', at: new Date() });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    try {
      return await work();
    } finally {
      await locks.deleteOne({ _id: 'lock' });
    }
  }
}
