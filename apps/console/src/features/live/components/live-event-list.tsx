import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { eventKey } from '../../../lib/audit-event/event-key.ts';
import { EventOutcome } from '../../../lib/audit-event/event-outcome.tsx';
import { resourceLabel } from '../../../lib/audit-event/object-label.ts';
import { StatusCode } from '../../../lib/audit-event/status-code.tsx';
import { formatClock, formatTimestamp } from '../../../lib/time-format.ts';
import type { LiveBuffer, LiveSnapshot, StreamedEvent } from '../live-buffer.ts';

/** Fixed row height: the virtualizer never measures, and evicting k rows shifts the content by exactly k rows. */
const rowHeight = 32;
const columns = ['Time', 'Verb', 'Code', 'User', 'Namespace', 'Resource', 'Name', 'Source', 'Outcome'] as const;

/** Memoised: a flush re-renders the list, but a row whose event and place did not change is left alone. */
const LiveRow = memo(function LiveRow({
  streamed,
  index,
  start,
  selected,
  onOpen,
}: {
  streamed: StreamedEvent;
  index: number;
  start: number;
  selected: boolean;
  onOpen: (key: string) => void;
}) {
  const { event } = streamed;
  const key = eventKey(event);
  return (
    // The row click is a mouse shortcut; keyboard users open the event with the time button in the first cell.
    <tr
      aria-rowindex={index + 2}
      className="live-row"
      data-selected={selected || undefined}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onOpen(key)}
    >
      <td>
        <button
          type="button"
          className="row-open"
          title={`${formatTimestamp(event.RequestReceivedTimestamp)}: open details`}
          onClick={(click) => {
            click.stopPropagation();
            onOpen(key);
          }}
        >
          {formatClock(event.RequestReceivedTimestamp)}
        </button>
      </td>
      <td>{event.Verb}</td>
      <td>
        <StatusCode code={event.ResponseStatus?.code} />
      </td>
      <td title={event.User?.username}>{event.User?.username}</td>
      <td>{event.ObjectRef?.Namespace}</td>
      <td>{resourceLabel(event)}</td>
      <td title={event.ObjectRef?.Name}>{event.ObjectRef?.Name}</td>
      <td>{event.Source}</td>
      <td>
        <EventOutcome archived={streamed.archived} alerted={streamed.alerted} dropReason={streamed.dropReason} />
      </td>
    </tr>
  );
});

/**
 * The virtualized live list, oldest first and newest at the bottom, like `tail -f`. While the user is at
 * the bottom it follows new rows; scrolled up, it holds still (also when old rows are let go at the top)
 * and offers a jump to the N new rows below.
 */
export function LiveEventList({
  buffer,
  snapshot,
  selectedKey,
  onOpen,
}: {
  buffer: LiveBuffer;
  snapshot: LiveSnapshot;
  selectedKey: string | undefined;
  onOpen: (key: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  /** `appendedTotal` when the user scrolled away from the bottom. */
  const [seenUpTo, setSeenUpTo] = useState(0);
  const lastEvicted = useRef(snapshot.evictedTotal);

  const virtualizer = useVirtualizer({
    count: snapshot.size,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // A row's key is its event's place in the whole stream, not on screen: when old rows are let go, the
    // rows still shown keep their DOM and only move, instead of every row being rewritten.
    getItemKey: (index) => snapshot.evictedTotal + index,
    overscan: 6,
  });

  useLayoutEffect(() => {
    const element = scrollRef.current;
    const evicted = snapshot.evictedTotal - lastEvicted.current;
    lastEvicted.current = snapshot.evictedTotal;
    if (!element) return;
    // Rows have a fixed height, so the bottom is known without asking the browser to lay out first.
    if (following) element.scrollTop = snapshot.size * rowHeight;
    else if (evicted > 0) element.scrollTop = Math.max(0, element.scrollTop - evicted * rowHeight);
  }, [snapshot, following]);

  const newBelow = following ? 0 : snapshot.appendedTotal - seenUpTo;

  return (
    <div className="live-list">
      <div
        ref={scrollRef}
        className="live-scroll"
        onScroll={(event) => {
          const element = event.currentTarget;
          const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < rowHeight;
          if (atBottom === following) return;
          setFollowing(atBottom);
          if (!atBottom) setSeenUpTo(snapshot.appendedTotal);
        }}
      >
        {/* A real table whose rows are laid out by the virtualizer (CSS grid, absolutely placed). */}
        <table aria-label="Live audit events" aria-rowcount={snapshot.size + 1} className="live-table">
          <thead className="live-head">
            <tr aria-rowindex={1} className="live-row live-header-row">
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="live-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const streamed = buffer.at(item.index);
              if (!streamed) return null;
              return (
                <LiveRow
                  key={item.key}
                  streamed={streamed}
                  index={item.index}
                  start={item.start}
                  selected={eventKey(streamed.event) === selectedKey}
                  onOpen={onOpen}
                />
              );
            })}
          </tbody>
        </table>
        {snapshot.size === 0 ? (
          <p className="live-empty muted">
            Waiting for events. New events show here as the receiver gets them; earlier ones are in Search.
          </p>
        ) : null}
      </div>
      {newBelow > 0 ? (
        <button
          type="button"
          className="new-events"
          onClick={() => {
            const element = scrollRef.current;
            if (element) element.scrollTop = element.scrollHeight;
            setFollowing(true);
          }}
        >
          {newBelow.toLocaleString()} new
        </button>
      ) : null}
    </div>
  );
}
