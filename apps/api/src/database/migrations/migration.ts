import type { Db } from 'mongodb';

/** A versioned, reversible change to the database (indexes, data). Ids sort in apply order. */
export interface Migration {
  id: string;
  description: string;
  up(db: Db): Promise<void>;
  down(db: Db): Promise<void>;
}
