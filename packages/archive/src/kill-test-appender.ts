/**
 * The process sqlite-event-store.durability.test.ts kills: four concurrent senders append batches of 50
 * to the archive at argv[2] and print each AuditID on its own line once its append has resolved, until the
 * test sends SIGKILL. Every printed ID was acknowledged and must survive.
 */
import { sampleRecord } from './sample-event.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: node kill-test-appender.ts <archive.db>');
const store = await SqliteEventStore.open(path);

await Promise.all(
  Array.from({ length: 4 }, async (_, sender) => {
    for (let batch = 0; ; batch++) {
      const records = Array.from({ length: 50 }, (_, index) =>
        sampleRecord({ auditId: `s${sender}-b${batch}-${index}`, received: Date.now() }),
      );
      await store.append(records);
      // Writes to a pipe are synchronous on Linux: a printed ID has left the process before the next append.
      process.stdout.write(`${records.map((record) => record.event.AuditID).join('\n')}\n`);
    }
  }),
);
