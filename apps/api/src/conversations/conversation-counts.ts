import { CHANNELS, CONVERSATION_STATUSES } from '@conecta/contracts';
import type { Channel, ConversationCounts, ConversationStatus } from '@conecta/contracts';
import type { ObjectId } from 'mongodb';

/** Collections of the conversation counters (decision 0023). */
export const CONVERSATION_TALLIES_COLLECTION = 'conversation_tallies';
export const CONVERSATION_COUNTS_COLLECTION = 'conversation_counts';

/**
 * One counted transition of one conversation, never changed once written except for `pending`
 * (dropped when a snapshot has folded it). `_id` is `<conversationId>:<seq>`: the unique index is
 * what makes a transition count once, whoever writes it and however often.
 */
export interface TallyDoc {
  _id: string;
  workspaceId: ObjectId;
  conversationId: string;
  seq: number;
  state: CountedState | null;
  plus: string[];
  minus: string[];
  /** The workspace id (hex) while no snapshot has folded this delta. */
  pending?: string;
  at: Date;
}

/** The counters of one workspace as of generation `gen`; `folded`: the deltas it took in last. */
export interface CountsSnapshotDoc {
  _id: string;
  workspaceId: ObjectId;
  gen: number;
  /** Pairs as documents: the embedded database stores no nested arrays. */
  counts: { k: string; n: number }[];
  folded: string[];
  at: Date;
}

export function snapshotId(workspaceHex: string, gen: number): string {
  return `${workspaceHex}:${String(gen).padStart(12, '0')}`;
}

/** What of a conversation the counts depend on; null for a deleted one. */
export interface CountedState {
  chatbotId: string;
  channel: string;
  status: string;
  assigneeId: string | null;
}

/**
 * The counter keys a conversation in this state adds one to. Every key names its chatbot, so the
 * counts of one chatbot and of the whole workspace come from the same counters.
 */
export function counterKeys(state: CountedState | null): string[] {
  if (!state) return [];
  const bot = state.chatbotId;
  const keys = [`ch|${bot}|${state.channel}`, `st|${bot}|${state.status}`];
  if (state.status !== 'closed') {
    if (state.assigneeId === null) {
      keys.push(`un|${bot}`);
      if (state.status === 'pending') keys.push(`wt|${bot}`);
    } else {
      keys.push(`as|${bot}|${state.assigneeId}`);
    }
  }
  return keys;
}

export function sameCountedState(a: CountedState | null, b: CountedState | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.chatbotId === b.chatbotId &&
    a.channel === b.channel &&
    a.status === b.status &&
    a.assigneeId === b.assigneeId
  );
}

/** The keys that go up and down when a conversation moves from `before` to `after`. */
export function counterDelta(
  before: CountedState | null,
  after: CountedState | null,
): { plus: string[]; minus: string[] } {
  const was = counterKeys(before);
  const is = counterKeys(after);
  return { plus: is.filter((k) => !was.includes(k)), minus: was.filter((k) => !is.includes(k)) };
}

/** Adds a delta to a counter map (in place). */
export function applyDelta(
  counts: Map<string, number>,
  delta: { plus?: string[]; minus?: string[] },
): void {
  for (const k of delta.plus ?? []) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of delta.minus ?? []) counts.set(k, (counts.get(k) ?? 0) - 1);
}

/** The counts endpoint's answer from the counters of one workspace. */
export function countsFromCounters(
  counters: Map<string, number>,
  chatbotId: string | undefined,
  viewerId: string | null,
): ConversationCounts {
  const perChannel = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  const states = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<
    ConversationStatus,
    number
  >;
  const result = { ...perChannel, all: 0, states, mine: 0, unassigned: 0, waiting: 0 };
  for (const [key, n] of counters) {
    const [kind, bot, rest] = key.split('|');
    if (chatbotId !== undefined && bot !== chatbotId) continue;
    if (kind === 'ch' && (CHANNELS as readonly string[]).includes(rest ?? '')) {
      result[rest as Channel] += n;
      result.all += n;
    } else if (kind === 'st' && (CONVERSATION_STATUSES as readonly string[]).includes(rest ?? '')) {
      states[rest as ConversationStatus] += n;
    } else if (kind === 'un') result.unassigned += n;
    else if (kind === 'wt') result.waiting += n;
    else if (kind === 'as' && viewerId !== null && rest === viewerId) result.mine += n;
  }
  return result;
}
