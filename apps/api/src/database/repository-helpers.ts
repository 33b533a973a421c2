import { Types } from 'mongoose';

/** The ObjectId of a 24-hex-digit id, or null for anything else (a foreign id finds nothing). */
export function oid(id: string): Types.ObjectId | null {
  return /^[a-f0-9]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

/** True for MongoDB's duplicate-key error (E11000), the signal of a lost unique insert. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Strips undefined values, so optional fields stay unset rather than stored as null. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
