import type { DeliveryStatus } from '@conecta/contracts';
import type { ObjectId } from 'mongodb';
import type { DeliveryUpdateStatus, MessagePricing } from './conversation.types';

export const MESSAGE_PARTS_COLLECTION = 'message_parts';
export const MESSAGE_PART_STATUSES_COLLECTION = 'message_part_statuses';

/** One part of a split WhatsApp reply Meta accepted: `_id` is its wamid. Inserted once. */
export interface MessagePartDoc {
  _id: string;
  workspaceId: ObjectId;
  messageId: string;
  phoneNumberId: string;
  /** 0-based position, and how many parts the reply has. */
  index: number;
  count: number;
  at: Date;
}

/**
 * One status of one part: `_id` is `<wamid>|<status>`, so a status is written once by a unique
 * insert and never updated. The reply's shown status is recomputed from these.
 */
export interface MessagePartStatusDoc {
  _id: string;
  workspaceId: ObjectId;
  messageId: string;
  wamid: string;
  status: DeliveryUpdateStatus;
  at: Date;
  errorCode?: number;
  errorType?: string;
  errorReason?: string;
  pricing?: MessagePricing;
}

/** What a reply shows: the least advanced of its parts, `failed` (with its reason) if any failed. */
export interface ShownStatus {
  status: DeliveryStatus;
  at: Date | null;
  failure?: {
    errorCode?: number;
    errorType?: string;
    errorReason?: string;
    /** 0-based index of the failed part. */
    part: number;
  };
}

const RANK: Record<Exclude<DeliveryUpdateStatus, 'failed'>, number> = {
  sent: 1,
  delivered: 2,
  read: 3,
};
const BY_RANK: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read'];

/**
 * The shown status of a reply of `count` parts: a pure function of the set of part statuses,
 * monotonic in it (a new status never moves the result backwards), so writers that recompute
 * it from a fresh read converge on the same value whatever the order they ran in.
 */
export function shownStatus(
  parts: readonly Pick<MessagePartDoc, '_id' | 'index'>[],
  count: number,
  statuses: readonly MessagePartStatusDoc[],
): ShownStatus {
  const indexOf = new Map(parts.map((p) => [p._id, p.index]));
  const failed = statuses
    .filter((s) => s.status === 'failed' && indexOf.has(s.wamid))
    .sort((a, b) => (indexOf.get(a.wamid) ?? 0) - (indexOf.get(b.wamid) ?? 0))[0];
  if (failed) {
    return {
      status: 'failed',
      at: failed.at,
      failure: {
        ...(failed.errorCode !== undefined ? { errorCode: failed.errorCode } : {}),
        ...(failed.errorType !== undefined ? { errorType: failed.errorType } : {}),
        ...(failed.errorReason !== undefined ? { errorReason: failed.errorReason } : {}),
        part: indexOf.get(failed.wamid) ?? 0,
      },
    };
  }
  // Per part: its most advanced status and when it reached each rank first.
  const reached = new Map<number, Date[]>();
  for (const s of statuses) {
    const index = indexOf.get(s.wamid);
    if (index === undefined || s.status === 'failed') continue;
    const times = reached.get(index) ?? [];
    for (let r = 1; r <= RANK[s.status]; r++) {
      // Read implies delivered and sent (Meta may skip delivered).
      const prev = times[r];
      if (!prev || s.at < prev) times[r] = s.at;
    }
    reached.set(index, times);
  }
  let least = 3;
  for (let i = 0; i < count; i++) least = Math.min(least, (reached.get(i)?.length ?? 1) - 1);
  if (least <= 0) return { status: 'pending', at: null };
  // Reached when the last part reached it.
  let at = 0;
  for (let i = 0; i < count; i++) at = Math.max(at, reached.get(i)?.[least]?.getTime() ?? 0);
  return { status: BY_RANK[least] ?? 'pending', at: new Date(at) };
}
