import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { GridFSBucket, ObjectId, type Collection, type Db, type GridFSFile } from 'mongodb';
import type { Connection } from 'mongoose';
import { workspaceIdOf, type WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, oid } from '../database/repository-helpers';
import type { StoredMediaFile } from './media.types';

/** GridFS bucket of message files: `media.files` and `media.chunks`. */
export const MEDIA_BUCKET = 'media';
const CHUNK_BYTES = 255 * 1024;

interface MediaFileMetadata {
  workspaceId: ObjectId;
  messageId: string;
  conversationId: string;
  kind: string;
  sha256: string;
  declaredType: string | null;
  sniffedType: string | null;
  /** The message's time: retention removes the file with the message. */
  messageCreatedAt: Date;
}

function toStored(f: GridFSFile): StoredMediaFile {
  const m = f.metadata as unknown as MediaFileMetadata;
  return {
    messageId: m.messageId,
    conversationId: m.conversationId,
    workspaceId: workspaceIdOf(m.workspaceId),
    kind: m.kind,
    fileName: f.filename,
    size: f.length,
    sha256: m.sha256,
    declaredType: m.declaredType,
    sniffedType: m.sniffedType,
    messageCreatedAt: m.messageCreatedAt,
  };
}

/**
 * Message files in MongoDB GridFS (served by the embedded FerretDB too). A file's id is its
 * message's id, so a message has at most one file and a repeated store cannot double it.
 */
@Injectable()
export class MediaFilesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db(): Db {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db as unknown as Db;
  }

  private get bucket(): GridFSBucket {
    return new GridFSBucket(this.db, { bucketName: MEDIA_BUCKET, chunkSizeBytes: CHUNK_BYTES });
  }

  private get files(): Collection<GridFSFile> {
    return this.db.collection<GridFSFile>(`${MEDIA_BUCKET}.files`);
  }

  /** Stores a message's file; a file already stored for the message is kept (and returned). */
  async store(input: Omit<StoredMediaFile, 'size'> & { data: Buffer }): Promise<StoredMediaFile> {
    const id = oid(input.messageId);
    if (!id) throw new Error('media of a message without an ObjectId');
    const existing = await this.files.findOne({ _id: id });
    if (existing) return toStored(existing);
    // Chunks of an upload that died before its file document: they would collide with this one.
    await this.db.collection(`${MEDIA_BUCKET}.chunks`).deleteMany({ files_id: id });
    const metadata: MediaFileMetadata = {
      workspaceId: new ObjectId(input.workspaceId),
      messageId: input.messageId,
      conversationId: input.conversationId,
      kind: input.kind,
      sha256: input.sha256,
      declaredType: input.declaredType,
      sniffedType: input.sniffedType,
      messageCreatedAt: input.messageCreatedAt,
    };
    const upload = this.bucket.openUploadStreamWithId(id, input.fileName, {
      metadata: metadata as unknown as Record<string, unknown>,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        upload.once('finish', () => resolve());
        upload.once('error', reject);
        upload.end(input.data);
      });
    } catch (error) {
      const stored = isDuplicateKeyError(error) ? await this.files.findOne({ _id: id }) : null;
      if (stored) return toStored(stored);
      throw error;
    }
    const { data, ...file } = input;
    return { ...file, size: data.length };
  }

  async find(workspaceId: WorkspaceId, messageId: string): Promise<StoredMediaFile | null> {
    const id = oid(messageId);
    if (!id) return null;
    const f = await this.files.findOne({
      _id: id,
      'metadata.workspaceId': new ObjectId(workspaceId),
    });
    return f ? toStored(f) : null;
  }

  /** The bytes of a stored file, streamed from its chunks. */
  open(file: StoredMediaFile): Readable {
    return this.bucket.openDownloadStream(new ObjectId(file.messageId));
  }

  async read(file: StoredMediaFile): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.open(file)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async listForConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<StoredMediaFile[]> {
    if (conversationIds.length === 0) return [];
    const found = await this.files
      .find({
        'metadata.workspaceId': new ObjectId(workspaceId),
        'metadata.conversationId': { $in: conversationIds },
      })
      .toArray();
    return found.map(toStored);
  }

  /** Deletes the files of these conversations; returns how many. */
  async deleteForConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<number> {
    const files = await this.listForConversations(workspaceId, conversationIds);
    for (const f of files) await this.deleteOne(f.messageId);
    return files.length;
  }

  /** Retention, every workspace: deletes up to `batchSize` files of messages older than `cutoff`. */
  async deleteCreatedBeforeAllWorkspaces(cutoff: Date, batchSize: number): Promise<number> {
    const old = await this.files
      .find({ 'metadata.messageCreatedAt': { $lt: cutoff } }, { projection: { _id: 1 } })
      .limit(batchSize)
      .toArray();
    for (const f of old) await this.deleteOne(String(f._id));
    return old.length;
  }

  private async deleteOne(messageId: string): Promise<void> {
    const id = new ObjectId(messageId);
    // Chunks first: a crash in between leaves a file document that still finds its leftovers.
    await this.db.collection(`${MEDIA_BUCKET}.chunks`).deleteMany({ files_id: id });
    await this.files.deleteOne({ _id: id });
  }
}
