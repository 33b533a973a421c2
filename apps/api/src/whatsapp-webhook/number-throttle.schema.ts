export const NUMBER_THROTTLES_COLLECTION = 'whatsapp_number_throttles';

/**
 * Until when a business phone number holds its sends after Meta answered 130429 (the number's
 * throughput limit). One document per number (`_id` is its phone number id), written by a plain
 * upsert: the last write wins, which is safe because the value only delays sends.
 */
export interface NumberThrottleDoc {
  _id: string;
  throttledUntil: Date;
}
