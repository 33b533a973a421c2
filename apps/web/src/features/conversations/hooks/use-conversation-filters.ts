import {
  CHANNELS,
  CONVERSATION_STATUSES,
  type Channel,
  type ConversationStatus,
} from '@conecta/contracts';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface UrlFilters {
  channel: Channel | undefined;
  status: ConversationStatus | undefined;
  favorite: boolean;
  assignee: AssigneeFilter | undefined;
  q: string;
}

export const ASSIGNEE_FILTERS = ['mine', 'unassigned'] as const;
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number];

function isAssignee(v: string | null): v is AssigneeFilter {
  return v !== null && (ASSIGNEE_FILTERS as readonly string[]).includes(v);
}

function isStatus(v: string | null): v is ConversationStatus {
  return v !== null && (CONVERSATION_STATUSES as readonly string[]).includes(v);
}

function isChannel(v: string | null): v is Channel {
  return v !== null && (CHANNELS as readonly string[]).includes(v);
}

/** The list's filter lives in the URL, so it survives reloads and can be shared. */
export function useConversationFilters(): [UrlFilters, (patch: Partial<UrlFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<UrlFilters>(() => {
    const channel = params.get('channel');
    const status = params.get('status');
    const assignee = params.get('assignee');
    return {
      channel: isChannel(channel) ? channel : undefined,
      status: isStatus(status) ? status : undefined,
      favorite: params.get('favorite') === 'true',
      assignee: isAssignee(assignee) ? assignee : undefined,
      q: params.get('q') ?? '',
    };
  }, [params]);
  const update = useCallback(
    (patch: Partial<UrlFilters>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if ('channel' in patch) {
            if (patch.channel) next.set('channel', patch.channel);
            else next.delete('channel');
          }
          if ('status' in patch) {
            if (patch.status) next.set('status', patch.status);
            else next.delete('status');
          }
          if ('favorite' in patch) {
            if (patch.favorite) next.set('favorite', 'true');
            else next.delete('favorite');
          }
          if ('assignee' in patch) {
            if (patch.assignee) next.set('assignee', patch.assignee);
            else next.delete('assignee');
          }
          if ('q' in patch) {
            if (patch.q) next.set('q', patch.q);
            else next.delete('q');
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [filters, update];
}
