import { CHANNELS, type Channel } from '@conecta/contracts';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface UrlFilters {
  channel: Channel | undefined;
  favorite: boolean;
  q: string;
}

function isChannel(v: string | null): v is Channel {
  return v !== null && (CHANNELS as readonly string[]).includes(v);
}

/** The list's filter lives in the URL, so it survives reloads and can be shared. */
export function useConversationFilters(): [UrlFilters, (patch: Partial<UrlFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<UrlFilters>(() => {
    const channel = params.get('channel');
    return {
      channel: isChannel(channel) ? channel : undefined,
      favorite: params.get('favorite') === 'true',
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
          if ('favorite' in patch) {
            if (patch.favorite) next.set('favorite', 'true');
            else next.delete('favorite');
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
