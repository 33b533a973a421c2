import type { Migration } from './migration';

/** `<phoneNumberId>:<phone>`: the session key of a thread keyed by its customer's phone. */
const PHONE_SESSION = /^(\d+):(\d+)$/;
/** Marks the threads this migration gave a phone, so that `down` takes back only those. */
const MARK = 'migration0024Phone';

/**
 * Every WhatsApp thread knows its customer's phone as `contactPhone`: threads keyed by the phone
 * before the field existed get it from their session key (their visitor is that phone). A customer
 * writing with a BSUID is then found by BSUID or by `contactPhone` alone (no lookup by the phone's
 * session key, which also joined a recycled number's new owner to the old owner's thread).
 */
export const m0024ThreadPhones: Migration = {
  id: '0024-thread-phones',
  description: 'WhatsApp threads keyed by phone record that phone as contactPhone',
  async up(db) {
    const conversations = db.collection('conversations');
    const legacy = conversations.find(
      { channel: 'whatsapp', contactPhone: null },
      { projection: { sessionId: 1, visitorId: 1 } },
    );
    for await (const c of legacy) {
      const phone = PHONE_SESSION.exec(String(c.sessionId ?? ''))?.[2];
      if (!phone || phone !== String(c.visitorId ?? '')) continue;
      await conversations.updateOne(
        { _id: c._id, contactPhone: null },
        { $set: { contactPhone: phone, [MARK]: true } },
      );
    }
  },
  async down(db) {
    await db
      .collection('conversations')
      .updateMany({ [MARK]: true }, { $set: { contactPhone: null }, $unset: { [MARK]: '' } });
  },
};
