import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';

/** A versioned, reversible change to the database (indexes, data). Ids sort in apply order. */
export interface Migration {
  id: string;
  description: string;
  up(db: Db): Promise<void>;
  down(db: Db): Promise<void>;
}

/** One named index of one collection. */
export interface IndexDef {
  collection: string;
  key: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
}

/** A migration that creates indexes on `up` and drops those that exist on `down`. */
export function indexMigration(
  id: string,
  description: string,
  indexes: readonly IndexDef[],
): Migration {
  return {
    id,
    description,
    async up(db) {
      for (const index of indexes) {
        await db.collection(index.collection).createIndex(index.key, index.options);
      }
    },
    async down(db) {
      for (const index of [...indexes].reverse()) {
        const collection = db.collection(index.collection);
        const exists = await collection.indexExists(index.options.name).catch(() => false);
        if (exists) await collection.dropIndex(index.options.name);
      }
    },
  };
}
