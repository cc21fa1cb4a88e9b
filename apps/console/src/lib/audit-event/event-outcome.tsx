/** What the receiver did with an event: archived, alerted, or why it was not archived. */
export function EventOutcome({
  archived,
  alerted,
  dropReason,
}: {
  archived: boolean;
  alerted: boolean;
  dropReason?: string | undefined;
}) {
  if (alerted)
    return (
      <span className="outcome" data-outcome="alerted">
        alerted
      </span>
    );
  if (archived)
    return (
      <span className="outcome" data-outcome="archived">
        archived
      </span>
    );
  return (
    <span className="outcome" data-outcome="dropped" title={dropReason ? `Not archived: ${dropReason}` : undefined}>
      {dropReason ? `not archived (${dropReason})` : 'not archived'}
    </span>
  );
}
