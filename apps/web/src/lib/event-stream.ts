import { WORKSPACE_EVENT_TYPES, type WorkspaceEvent } from '@conecta/contracts';
import { useEffect, useRef } from 'react';

let live = false;

/** Whether the workspace's event stream is connected (polling is then not needed). */
export function isEventStreamLive(): boolean {
  return live;
}

/** A `refetchInterval` that polls only while the event stream is down. */
export function pollWhenStreamDown(ms: number): () => number | false {
  return () => (live ? false : ms);
}

/**
 * Listens to `GET /api/v1/events` (Server-Sent Events of the workspace). `onChange` gets each event,
 * and `null` when the stream connects or drops (refetch then: something may have been missed, and
 * polling takes over while it is down). Browsers without EventSource keep polling.
 */
export function useWorkspaceEvents(onChange: (event: WorkspaceEvent | null) => void): void {
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const setLive = (value: boolean) => {
      if (live === value) return;
      live = value;
      handler.current(null);
    };
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    const onEvent = (e: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(e.data) as WorkspaceEvent);
      } catch {
        // Not ours: ignore.
      }
    };
    for (const type of WORKSPACE_EVENT_TYPES) source.addEventListener(type, onEvent);
    return () => {
      source.close();
      live = false;
    };
  }, []);
}
