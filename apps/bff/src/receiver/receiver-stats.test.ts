import { describe, expect, test } from 'vitest';
import { createStatsRecorder } from './receiver-stats.ts';

describe('receiver stats', () => {
  test('averages the rate over the last ten complete seconds and keeps totals per sender and reason', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const stats = createStatsRecorder(() => now);
    // 400 events every second for 15 s, from kube-apiserver; some dropped because no rule selects them.
    for (let second = 0; second < 15; second++) {
      stats.recordBatch({
        source: 'kubernetes',
        received: 400,
        archived: 300,
        alerted: 1,
        dropped: { 'not-selected-by-rules': 100 },
      });
      now += 1000;
    }
    stats.recordBatch({ source: 'kubesphere', received: 10, archived: 10, alerted: 0, dropped: {} });
    stats.recordRejection('Invalid');

    const snapshot = stats.snapshot();
    expect(snapshot.eventsPerSecond).toBe(400);
    expect(snapshot.totals).toEqual({
      received: 6010,
      archived: 4510,
      alerted: 15,
      dropped: 1500,
      rejectedRequests: 1,
    });
    expect(snapshot.receivedBySource).toEqual({ kubernetes: 6000, kubesphere: 10 });
    expect(snapshot.droppedByReason).toEqual({ 'not-selected-by-rules': 1500 });
    expect(snapshot.rejectedByReason).toEqual({ Invalid: 1 });
    expect(snapshot.lastEventAt.kubesphere).toBe(new Date(now).toISOString());

    // Quiet for a minute: the rate falls to zero, the totals stay.
    now += 60_000;
    expect(stats.snapshot().eventsPerSecond).toBe(0);
    expect(stats.snapshot().totals.received).toBe(6010);
  });
});
