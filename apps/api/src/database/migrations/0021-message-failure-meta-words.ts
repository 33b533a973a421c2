import type { Db, Document } from 'mongodb';
import type { Migration } from './migration';

/** Where the English text this migration took out is kept, so `down` can put it back. */
const BACKUP = 'migration_0021_failure_text';
const BATCH = 500;

/** Stored failure texts: a message's reason and its file's, a reply part's, an integration's. */
const TARGETS = [
  { collection: 'messages', field: 'errorReason' },
  { collection: 'messages', field: 'media.failureDetail' },
  { collection: 'message_part_statuses', field: 'errorReason' },
  { collection: 'integrations', field: 'errorDetail' },
] as const;

/** The graph client's English summary around Meta's own `message`. */
const GRAPH_SUMMARY = /^[a-z_]+: Graph API error -?\d+ \(HTTP \d+\): ([\s\S]+)$/;
/** Our own English with no word of Meta's in it: a status alone, a network failure, a refusal. */
const OURS_ONLY = [
  /^[a-z_]+: Graph API answered HTTP \d+$/,
  /^[a-z_]+: (request timed out|network error) \(/,
  /^[a-z_]+: (invalid message: |the id must be )/,
  /^the 24-hour window is closed: only a template can be sent$/,
  /^error -?\d+$/,
  /^\d+ bytes$/,
  /^phone number status \w+$/,
  /^the phone number is not listed under the business account$/,
];

/**
 * Meta's own words in a failure text stored before the API kept them apart: the text itself when
 * it is Meta's, Meta's message out of our English summary, or null when there is none (the code,
 * stored beside it, says what happened).
 */
export function metaWordsOfStoredText(text: string): string | null {
  const summary = GRAPH_SUMMARY.exec(text);
  if (summary?.[1]) return summary[1];
  return OURS_ONLY.some((re) => re.test(text)) ? null : text;
}

function valueAt(doc: Document, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Document)[key] : undefined),
      doc,
    );
}

/**
 * Stored failure reasons become Meta's words only (the SPA words the code): rows written before
 * kept the graph client's English summary ("messages: Graph API error 100 (HTTP 400): …") or our
 * own English when Meta said nothing. The removed text is kept aside for `down`.
 */
export const m0021MessageFailureMetaWords: Migration = {
  id: '0021-message-failure-meta-words',
  description: "stored message failure reasons hold Meta's own words only, never our English",
  async up(db: Db) {
    const backup = db.collection(BACKUP);
    for (const { collection, field } of TARGETS) {
      const coll = db.collection(collection);
      let after: unknown = null;
      for (;;) {
        const filter: Document = { [field]: { $type: 'string' } };
        if (after !== null) filter._id = { $gt: after };
        const docs = await coll
          .find(filter, { projection: { _id: 1, [field]: 1 } })
          .sort({ _id: 1 })
          .limit(BATCH)
          .toArray();
        for (const doc of docs) {
          const text = valueAt(doc, field);
          if (typeof text !== 'string') continue;
          const words = metaWordsOfStoredText(text);
          if (words === text) continue;
          await backup.insertOne({ collection, docId: doc._id, field, text });
          await coll.updateOne(
            { _id: doc._id },
            words === null ? { $unset: { [field]: '' } } : { $set: { [field]: words } },
          );
        }
        if (docs.length < BATCH) break;
        after = docs[docs.length - 1]?._id;
      }
    }
  },
  async down(db: Db) {
    const backup = db.collection(BACKUP);
    for (;;) {
      const kept = await backup.find({}).limit(BATCH).toArray();
      if (kept.length === 0) break;
      for (const row of kept) {
        await db
          .collection(String(row.collection))
          .updateOne({ _id: row.docId }, { $set: { [String(row.field)]: row.text } });
        await backup.deleteOne({ _id: row._id });
      }
    }
  },
};
