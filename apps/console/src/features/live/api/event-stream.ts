import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../../lib/api-client.ts';
import { ApiError, statusOf } from '../../../lib/api-error.ts';
import { compact } from '../../../lib/event-filters/filter-schema.ts';
import { meQueries } from '../../../lib/me/get-me.ts';
import type { StreamedEvent } from '../live-buffer.ts';
import type { LiveFilters } from '../routes/live-search.ts';

/** `event: gap`: a reconnect the server's ring could not cover; some events may only be in the archive. */
export interface StreamGap {
  reason: string;
  sinceMs: number;
  replayed: number;
  complete: boolean;
}

export type StreamState = { phase: 'connecting' | 'open' | 'reconnecting' } | { phase: 'failed'; error: unknown };

export interface StreamHandlers {
  onEvent: (event: StreamedEvent) => void;
  onDropped: (count: number) => void;
  onGap: (gap: StreamGap) => void;
}

function streamQuery(filters: LiveFilters) {
  return compact({ ...filters });
}

/** The stream's URL with the filters as query parameters (the BFF's filter vocabulary). */
export function eventStreamUrl(filters: LiveFilters): string {
  return api.events.stream.$url({ query: streamQuery(filters) }).href;
}

/**
 * EventSource gives no status when it gives up (a 401, 403 or 503 just closes it), so ask once with a
 * normal request to learn the server's Status. A stream that answers 200 was a passing failure.
 */
async function whyStreamFailed(filters: LiveFilters): Promise<ApiError | undefined> {
  const controller = new AbortController();
  try {
    const response = await api.events.stream.$get(
      { query: streamQuery(filters) },
      { init: { signal: controller.signal } },
    );
    if (!response.ok) return new ApiError(await statusOf(response));
    return undefined;
  } finally {
    controller.abort();
  }
}

/**
 * The push stream of `/api/events/stream` for the given filters (a new connection when they change).
 * EventSource resumes after a network blip by itself, sending the last event id; the server then replays
 * what it still has and reports a `gap` for what it has not. When the server refuses the stream, the
 * session is checked first (a 401 takes the user to sign-in), then the refusal's Status is shown.
 */
export function useEventStream(filters: LiveFilters, handlers: StreamHandlers): [StreamState, () => void] {
  const queryClient = useQueryClient();
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const url = eventStreamUrl(filters);
  const [state, setState] = useState<StreamState>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    let disposed = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    setState({ phase: 'connecting' });
    const source = new EventSource(url);
    source.addEventListener('open', () => setState({ phase: 'open' }));
    // Live and ring-replayed events come a receiver batch per frame; archive replays one per frame.
    source.addEventListener('events', (message) => {
      for (const streamed of JSON.parse(message.data) as StreamedEvent[]) handlersRef.current.onEvent(streamed);
    });
    source.addEventListener('replayed', (message) => {
      handlersRef.current.onEvent(JSON.parse(message.data) as StreamedEvent);
    });
    source.addEventListener('dropped', (message) => {
      handlersRef.current.onDropped((JSON.parse(message.data) as { count: number }).count);
    });
    source.addEventListener('gap', (message) => {
      handlersRef.current.onGap(JSON.parse(message.data) as StreamGap);
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) {
        setState({ phase: 'reconnecting' });
        return;
      }
      void (async () => {
        try {
          await queryClient.fetchQuery({ ...meQueries.current(), staleTime: 0 });
          const refusal = await whyStreamFailed(filtersRef.current);
          if (disposed) return;
          if (refusal) {
            setState({ phase: 'failed', error: refusal });
            return;
          }
        } catch (error) {
          if (!disposed) setState({ phase: 'failed', error });
          return;
        }
        setState({ phase: 'reconnecting' });
        retryTimer = setTimeout(() => setAttempt((count) => count + 1), 2_000);
      })();
    });
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      source.close();
    };
  }, [url, attempt, queryClient]);

  return [state, () => setAttempt((count) => count + 1)];
}
