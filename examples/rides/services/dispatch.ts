/**
 * dispatch: the worker that turns a queued ride request into a driver
 * assignment. For each ride it leases a free driver in Redis (SET NX PX: a
 * driver is offered one ride at a time), writes the assignment to the
 * `ride-assignments` hash, and then records it for `GET /debug/assignments`.
 * Handling is idempotent per ride key, so an item handled twice (the
 * reliable queue redelivers after a failure) is assigned once.
 *
 * Planted bug `dropped-dispatch` (runtime/ride-queue.ts): the queue is
 * popped with BRPOP, so a ride whose lease or write fails on a reset Redis
 * connection — or whose pop reply was lost with the connection — is gone.
 * Fixed: BLMOVE into a processing list, removed only once handled.
 */
import { runRidesService } from '../runtime/service-process.js';
import { startRideConsumer, type RideRequest } from '../runtime/ride-queue.js';
import type { TracedRedis } from '../runtime/traced-redis.js';

/** One assignment, as the probe shows it. */
interface Assignment {
  rideKey: string;
  riderId: string;
  zone: string;
  driverId: string;
}

const DRIVERS = Array.from({ length: 20 }, (_, i) => `d-${i + 1}`);
/** How long a driver stays offered to one ride. */
const LEASE_MS = 1000;

await runRidesService('dispatch', async (ctx) => {
  const assignments = new Map<string, Assignment>();
  let nextDriver = 0;

  async function assign(ride: RideRequest, redis: TracedRedis): Promise<void> {
    if (assignments.has(ride.rideKey)) return;
    for (let i = 0; i < DRIVERS.length; i++) {
      const driverId = DRIVERS[(nextDriver + i) % DRIVERS.length];
      const leased = await redis.traced('SET', (r) => r.set(`driver-lease:${driverId}`, ride.rideKey, 'PX', LEASE_MS, 'NX'));
      if (leased !== 'OK') continue;
      nextDriver = (nextDriver + i + 1) % DRIVERS.length;
      await redis.traced('HSET', (r) => r.hset('ride-assignments', ride.rideKey, driverId));
      assignments.set(ride.rideKey, { ...ride, driverId });
      return;
    }
    throw new Error('no driver free');
  }

  const consumer = startRideConsumer(ctx.tracer, ctx.env('QUEUE_REDIS_URL'), assign, { reliable: !ctx.bugs.has('dropped-dispatch'), log: ctx.log });
  return {
    routes: [{ method: 'GET', route: '/debug/assignments', handle: () => ({ status: 200, body: { assignments: [...assignments.values()] } }) }],
    close: () => consumer.close(),
  };
});
