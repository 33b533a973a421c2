import type { Db, Document } from 'mongodb';
import { SecretBox } from '../crypto/secret-box';

/** Collections that hold sealed secrets: WhatsApp credentials and chatbots' LLM keys. */
export const SEALED_COLLECTIONS = ['integrations', 'chatbots'] as const;

export interface ResealReport {
  collection: string;
  scanned: number;
  updated: number;
  secrets: number;
}

const MAX_DEPTH = 6;

/** Finds every sealed value not under the current key; returns `path → resealed value`. */
function collect(
  box: SecretBox,
  record: { collection: string; id: string },
  value: unknown,
  path: string,
  out: Record<string, unknown>,
  depth: number,
): void {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return;
  if (SecretBox.isSealed(value)) {
    // Also binds older (v1) secrets to their record and field.
    if (box.needsRotation(value)) out[path] = box.reseal(value, { ...record, field: path });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      collect(box, record, item, path ? `${path}.${i}` : String(i), out, depth + 1),
    );
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === '_id') continue;
    collect(box, record, child, path ? `${path}.${key}` : key, out, depth + 1);
  }
}

/**
 * Re-encrypts every sealed secret of the given collections under the box's current key, bound to
 * its collection, document id and field path (found
 * wherever it sits in a document). Idempotent: secrets already under the current key are left alone.
 * Throws if a secret cannot be opened with any configured key (nothing further is changed).
 */
export async function resealSecrets(
  db: Db,
  box: SecretBox,
  collections: readonly string[] = SEALED_COLLECTIONS,
): Promise<ResealReport[]> {
  const reports: ResealReport[] = [];
  for (const name of collections) {
    const report: ResealReport = { collection: name, scanned: 0, updated: 0, secrets: 0 };
    const cursor = db.collection<Document>(name).find({}).sort({ _id: 1 });
    for await (const doc of cursor) {
      report.scanned++;
      const set: Record<string, unknown> = {};
      collect(box, { collection: name, id: String(doc._id) }, doc, '', set, 0);
      const count = Object.keys(set).length;
      if (count === 0) continue;
      await db.collection<Document>(name).updateOne({ _id: doc._id }, { $set: set });
      report.updated++;
      report.secrets += count;
    }
    reports.push(report);
  }
  return reports;
}
