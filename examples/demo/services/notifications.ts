/**
 * notifications: a BullMQ worker that "sends" one email per order job and
 * records it for the `GET /debug/emails` probe. A Redis marker per order key
 * (SET NX) keeps a redelivered job from sending a second email.
 */
import { runService } from '../runtime/service-process.js';
import { startEmailWorker } from '../runtime/email-queue.js';
import { connectCache } from '../runtime/cache.js';

await runService('notifications', async (ctx) => {
  const emails: { id: string; orderKey: string }[] = [];
  const redisUrl = ctx.env('QUEUE_REDIS_URL');
  const sent = connectCache(ctx.tracer, redisUrl, { failFast: false });
  const worker = startEmailWorker(ctx.tracer, redisUrl, async (job, id) => {
    if (await sent.setIfAbsent(`email-sent:${job.orderKey}`, id, 3600)) emails.push({ id, orderKey: job.orderKey });
  });
  return {
    routes: [{ method: 'GET', route: '/debug/emails', handle: () => ({ status: 200, body: { emails } }) }],
    async close() {
      await worker.close();
      await sent.close();
    },
  };
});
