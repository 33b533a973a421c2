import { Injectable, Logger } from '@nestjs/common';
import { AUDIT_PAGE_MAX, AuditOutcome, AuditPage } from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import type { Actor } from '../common/actor';
import { AuditNamesRepository } from './audit-names.repository';
import { AuditCursor, AuditRepository } from './audit.repository';
import type { WorkspaceId } from '../common/workspace-id';

export interface AuditRecordInput {
  /** Null only for events with no workspace (a failed sign-in with an unknown email). */
  workspaceId: WorkspaceId | null;
  actor: Actor | null;
  /** `<resource>.<verb>`, e.g. `integration.create`. */
  action: string;
  target?: { type: string; id: string };
  outcome: AuditOutcome;
  ip?: string;
  /** Context for the reader; never secrets. */
  metadata?: Record<string, unknown>;
  /** The email a sign-in used, when there is no user id to show. */
  actorEmail?: string;
}

function encodeCursor(c: AuditCursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(raw: string): AuditCursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[a-f0-9]{24}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw AppError.validation([
      { field: 'cursor', code: 'pattern', message: 'is not a valid cursor' },
    ]);
  }
  return { createdAt, id };
}

/** The audit log: who did what, to what, when, from where, and whether it worked. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly repo: AuditRepository,
    private readonly names: AuditNamesRepository,
  ) {}

  /** Writes one entry. A failure to write is logged, never thrown at the caller's user. */
  async record(input: AuditRecordInput): Promise<void> {
    const actor = input.actor;
    try {
      await this.repo.insert({
        workspaceId: input.workspaceId,
        action: input.action,
        outcome: input.outcome,
        actor: {
          type: actor?.userId ? 'user' : actor?.apiKeyId ? 'apiKey' : 'anonymous',
          userId: actor?.userId ?? null,
          apiKeyId: actor?.apiKeyId ?? null,
          email: input.actorEmail ?? null,
        },
        target: input.target ?? null,
        ip: input.ip ?? actor?.ip ?? null,
        metadata: input.metadata ?? {},
        createdAt: new Date(),
      });
    } catch (err) {
      this.logger.error({ err, action: input.action }, 'could not write an audit entry');
    }
  }

  /** Erasure: earlier entries about a person keep their action but lose the person's label. */
  relabelTarget(
    workspaceId: WorkspaceId,
    target: { type: string; id: string },
    newId: string,
  ): Promise<number> {
    return this.repo.relabelTarget(workspaceId, target, newId);
  }

  async list(
    workspaceId: WorkspaceId,
    opts: { cursor?: string; limit?: number; action?: string },
  ): Promise<AuditPage> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), AUDIT_PAGE_MAX);
    const after = opts.cursor ? decodeCursor(opts.cursor) : null;
    const items = await this.repo.list(workspaceId, {
      limit: limit + 1,
      after,
      action: opts.action,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    // Who and what by name, as they are called now: the entries keep ids only.
    const refs = page.flatMap((e) => [
      ...(e.actor.userId ? [{ type: 'user', id: e.actor.userId }] : []),
      ...(e.actor.apiKeyId ? [{ type: 'apiKey', id: e.actor.apiKeyId }] : []),
      ...(e.target ? [e.target] : []),
    ]);
    const names = await this.names.namesOf(workspaceId, refs);
    const nameOf = (type: string, id: string | null): string | null =>
      id === null ? null : (names.get(`${type}:${id}`) ?? null);
    return {
      items: page.map((e) => ({
        ...e,
        actor: {
          ...e.actor,
          name: e.actor.userId
            ? nameOf('user', e.actor.userId)
            : nameOf('apiKey', e.actor.apiKeyId),
        },
        target: e.target ? { ...e.target, name: nameOf(e.target.type, e.target.id) } : null,
      })),
      nextCursor:
        items.length > limit && last
          ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id })
          : null,
    };
  }
}
