import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { customObjects } from '../kube/custom-resources.ts';
import { watchObject } from '../kube/object-watch.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';

/**
 * One object's changes as Server-Sent Events, so the editor can say "changed while you edit". Events are
 * named like Kubernetes watch events: `ADDED`, `MODIFIED`, `DELETED` (data: the object, id: its
 * resourceVersion) and `ERROR` (data: a Status; e.g. 410 Expired when the version is too old: reload).
 * A reconnecting EventSource sends Last-Event-ID and resumes from there. The upstream watch stops when
 * the client goes away.
 */
export const watchQuery = z.object({
  /** The version the editor loaded; changes after it are sent. Defaults to the object's current version. */
  resourceVersion: z.string().min(1).optional(),
});

const keepAliveMs = 25_000;

export async function streamObjectWatch(
  c: Context<AuthenticatedEnv>,
  objects: ReturnType<typeof customObjects>,
  name: string,
  query: z.infer<typeof watchQuery>,
) {
  // Read first as the user: a missing object or a refusal is an ordinary Status answer, not a stream.
  const current = await objects.get(name);
  const known = c.req.header('last-event-id') || query.resourceVersion || current.metadata.resourceVersion;
  // The watch starts at the cluster's version of now (a list's), not at the object's own: an object
  // unchanged for long has a version older than the apiserver's watch cache keeps, and a watch from it
  // fails with 410 Expired (always so after an apiserver restart). A change since `known` is sent first.
  const now = await objects.list({ fieldSelector: `metadata.name=${name}` });
  const live = now.items[0];
  const resourceVersion = now.metadata?.resourceVersion || current.metadata.resourceVersion || '0';
  const kubeConfig = c.var.userKube.kubeConfig;
  return streamSSE(c, async (stream) => {
    let writes = Promise.resolve();
    const send = (message: { event: string; data: string; id?: string }) => {
      writes = writes.then(() => stream.writeSSE(message)).catch(() => {});
    };
    if (!live) send({ event: 'DELETED', data: JSON.stringify(current) });
    else if (live.metadata.resourceVersion !== known) {
      const message: { event: string; data: string; id?: string } = {
        event: 'MODIFIED',
        data: JSON.stringify(live),
      };
      if (live.metadata.resourceVersion) message.id = live.metadata.resourceVersion;
      send(message);
    }
    let keepAlive: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const watch = watchObject({
        kubeConfig,
        collectionPath: objects.collectionPath,
        name,
        resourceVersion,
        onEvent: (event) => {
          if (event.type === 'ERROR') {
            send({ event: 'ERROR', data: JSON.stringify(event.status) });
            return;
          }
          const message: { event: string; data: string; id?: string } = {
            event: event.type,
            data: JSON.stringify(event.object),
          };
          if (event.object.metadata?.resourceVersion) message.id = event.object.metadata.resourceVersion;
          send(message);
        },
        onEnd: resolve,
      });
      keepAlive = setInterval(() => {
        writes = writes
          .then(() => stream.write(': keep-alive\n\n'))
          .then(
            () => {},
            () => {},
          );
      }, keepAliveMs);
      stream.onAbort(() => {
        watch.stop();
        resolve();
      });
    });
    clearInterval(keepAlive);
    await writes;
  });
}
