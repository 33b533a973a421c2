import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { RateCard, RateCardView } from '@conecta/contracts';
import { type Collection, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, workspaceOid } from '../database/repository-helpers';
import { RATE_CARDS_COLLECTION, type RateCardDoc } from './rate-card.schema';

/** The rate card of each workspace; absent until someone saves one. */
@Injectable()
export class RateCardRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get cards(): Collection<RateCardDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<RateCardDoc>(RATE_CARDS_COLLECTION);
  }

  async find(workspaceId: WorkspaceId): Promise<RateCardView | null> {
    const doc = await this.cards.findOne({ workspaceId: workspaceOid(workspaceId) });
    return doc
      ? {
          currency: doc.currency,
          rates: doc.rates.map((r) => ({ ...r })),
          updatedAt: doc.updatedAt.toISOString(),
        }
      : null;
  }

  /** Replaces the workspace's card (the unique index keeps one per workspace). */
  async save(workspaceId: WorkspaceId, card: RateCard, at: Date): Promise<void> {
    const ws = workspaceOid(workspaceId);
    const fields = { currency: card.currency, rates: card.rates, updatedAt: at };
    const existing = await this.cards.findOne({ workspaceId: ws }, { projection: { _id: 1 } });
    if (existing) {
      await this.cards.updateOne({ _id: existing._id }, { $set: fields });
      return;
    }
    try {
      await this.cards.insertOne({ _id: new ObjectId(), workspaceId: ws, ...fields });
    } catch (err) {
      // Saved at the same moment elsewhere: the index kept one; this save is the later one.
      if (!isDuplicateKeyError(err)) throw err;
      await this.cards.updateOne({ workspaceId: ws }, { $set: fields });
    }
  }
}
