import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { AccountNotice } from '@conecta/graph-client';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, workspaceOid } from '../database/repository-helpers';
import { ACCOUNT_NOTICES_COLLECTION, type AccountNoticeDoc } from './account-notice.schema';

/** A notice to store; its workspace id as callers hold it (stored as an ObjectId). */
export type NewAccountNotice = Omit<AccountNoticeDoc, '_id' | 'workspaceId'> & {
  workspaceId: WorkspaceId;
};

/** The account notices, through the plain driver. Indexes are in migration 0012. */
@Injectable()
export class AccountNoticesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get notices(): Collection<AccountNoticeDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<AccountNoticeDoc>(ACCOUNT_NOTICES_COLLECTION);
  }

  /** Inserts each notice once: a redelivered or re-processed one hits the unique key. */
  async insertOnce(docs: NewAccountNotice[]): Promise<number> {
    let inserted = 0;
    for (const doc of docs) {
      try {
        await this.notices.insertOne({
          ...doc,
          workspaceId: workspaceOid(doc.workspaceId),
        } as AccountNoticeDoc);
        inserted++;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    return inserted;
  }

  /** The latest notices of one field for one integration, newest first (equality + index). */
  async latest<F extends AccountNotice['field']>(
    workspaceId: WorkspaceId,
    integrationId: string,
    field: F,
    limit: number,
  ): Promise<(AccountNoticeDoc & { notice: Extract<AccountNotice, { field: F }> })[]> {
    const docs = await this.notices
      .find({ integrationId, workspaceId: workspaceOid(workspaceId), field })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .toArray();
    return docs as (AccountNoticeDoc & { notice: Extract<AccountNotice, { field: F }> })[];
  }
}
