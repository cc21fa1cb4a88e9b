import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kubernetesBatchOf } from './testing/audit-batches.ts';
import { startTestReceiver, type TestReceiver } from './testing/test-receiver.ts';

describe('receiver smoke', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver();
  });
  afterAll(async () => {
    await server?.close();
  });

  test('archives an EventList and acknowledges with 200', async () => {
    const { ids, body } = kubernetesBatchOf(5, { verb: 'update' });
    server.config.update({
      ...(server.config.current()!.status && {}),
      webhookSpec: { k8sAuditingEnabled: true },
      ruleCRs: [],
    });
    const answer = await server.post(body);
    expect(answer.status, answer.text).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(0);
  });
});
