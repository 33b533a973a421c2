import type { RateCardEntry } from '@conecta/contracts';
import type { ObjectId } from 'mongodb';

export const RATE_CARDS_COLLECTION = 'rate_cards';

/** A workspace's own prices per delivered message (one document per workspace, unique index 0020). */
export interface RateCardDoc {
  _id: ObjectId;
  workspaceId: ObjectId;
  currency: string;
  rates: RateCardEntry[];
  updatedAt: Date;
}
