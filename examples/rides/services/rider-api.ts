/**
 * rider-api: the riders' app backend. `POST /rides` holds the fare on the
 * rider's wallet, queues the ride for dispatch and answers 202; the
 * client's `Idempotency-Key` is the ride key every record downstream (the
 * hold, the assignment) carries. `GET /quotes/{zone}` asks pricing;
 * `GET /riders/{riderId}/balance` asks wallet. Wallet calls share a pool of
 * keep-alive connections; the queue is a Redis list (runtime/ride-queue.ts).
 *
 * Planted bugs (README.md):
 * - `duplicate-hold`: a hold that got no answer in time is retried without
 *   the idempotency key, so a wallet that is merely slow places it twice.
 *   Fixed: both attempts carry the ride key and wallet de-duplicates.
 * - `pool-leak`: a wallet call that fails never returns its connection to
 *   the pool; after a few failures every wallet call finds the pool empty.
 *   Fixed: the connection goes back (replaced when broken) whatever happened.
 * - `no-reconnect`: the queue producer stops reconnecting after an outage
 *   (runtime/ride-queue.ts). Fixed: it reconnects for as long as it runs.
 */
import { randomUUID } from 'node:crypto';
import { runRidesService } from '../runtime/service-process.js';
import { callPeer, CallError, type CallOptions, type CallResult, type Peer } from '../../demo/runtime/http-client.js';
import type { JsonResponse } from '../../demo/runtime/http-server.js';
import { ConnectionPool, PoolExhaustedError } from '../runtime/connection-pool.js';
import { callPooled } from '../runtime/pooled-http.js';
import { connectRideProducer, type RideProducer } from '../runtime/ride-queue.js';
import { holdAmountCents, zoneNamed } from '../zones.js';

/** A ride as rider-api tracks it. */
interface Ride {
  id: string;
  rideKey: string;
  riderId: string;
  zone: string;
  status: 'pending' | 'requested' | 'failed';
  /** The fare held on the rider's wallet. */
  amountCents: number;
  holdId?: string;
}

// The latency budget of POST /rides (under 500 ms end to end, well inside
// the 800 ms the product promises): wait at most 50 ms for a wallet
// connection, 150 ms per hold attempt (two attempts), 100 ms for the queue push.
const WALLET_POOL_SIZE = 8;
const ACQUIRE_TIMEOUT_MS = 50;
const HOLD_TIMEOUT_MS = 150;
const BALANCE_TIMEOUT_MS = 300;
const ENQUEUE_TIMEOUT_MS = 100;
// Longer than pricing's own 1 s deadline on maps, so a fallback quote still arrives.
const PRICING_TIMEOUT_MS = 1500;

await runRidesService('rider-api', async (ctx) => {
  const { tracer, bugs } = ctx;
  const wallet: Peer = { service: 'wallet', baseUrl: ctx.env('WALLET_URL') };
  const pricing: Peer = { service: 'pricing', baseUrl: ctx.env('PRICING_URL') };
  const queueUrl = ctx.env('QUEUE_REDIS_URL');
  const connectProducer = () => connectRideProducer(tracer, queueUrl, { commandTimeoutMs: ENQUEUE_TIMEOUT_MS, giveUpReconnecting: bugs.has('no-reconnect') });
  let producer: RideProducer = await connectProducer();
  const pool = new ConnectionPool(WALLET_POOL_SIZE, ACQUIRE_TIMEOUT_MS);
  const rides = new Map<string, Ride>();

  async function callWallet(opts: CallOptions): Promise<CallResult> {
    const conn = await pool.acquire();
    if (bugs.has('pool-leak')) {
      // The bug: the connection is handed back only on the success path.
      const out = await callPooled(tracer, conn, wallet, opts);
      pool.release(conn, false);
      return out;
    }
    let broken = true;
    try {
      const out = await callPooled(tracer, conn, wallet, opts);
      broken = false;
      return out;
    } finally {
      pool.release(conn, broken);
    }
  }

  /** Call wallet, once more when no answer came back (the caller decides whether that is safe). */
  async function withOneRetry(opts: (resendCount: number) => CallOptions): Promise<CallResult> {
    try {
      return await callWallet(opts(0));
    } catch (err) {
      if (!(err instanceof CallError)) throw err;
      return callWallet(opts(1));
    }
  }

  const placeHold = (ride: Ride) => withOneRetry((resendCount) => ({
    method: 'POST',
    path: '/holds',
    body: { rideKey: ride.rideKey, riderId: ride.riderId, amountCents: ride.amountCents },
    headers: bugs.has('duplicate-hold') ? {} as Record<string, string> : { 'idempotency-key': ride.rideKey },
    timeoutMs: HOLD_TIMEOUT_MS,
    resendCount,
  }));

  const unavailable = (what: string, err: unknown): JsonResponse => ({
    status: 503,
    body: { error: `${what}: ${(err as Error).message}`, ...(err instanceof PoolExhaustedError ? { pool: pool.stats() } : {}) },
  });

  async function request(ride: Ride): Promise<JsonResponse> {
    const failed = (res: JsonResponse): JsonResponse => { ride.status = 'failed'; return res; };
    let hold: CallResult;
    try {
      hold = await placeHold(ride);
    } catch (err) {
      return failed(unavailable('could not hold the fare', err));
    }
    if (hold.status === 402) return failed({ status: 402, body: { ...ride, error: 'insufficient funds' } });
    if (hold.status >= 300) return failed({ status: hold.status >= 500 ? 503 : 502, body: { ...ride, error: `wallet answered ${hold.status}` } });
    ride.holdId = (hold.body as { id?: string }).id;
    try {
      await producer.enqueue({ rideKey: ride.rideKey, riderId: ride.riderId, zone: ride.zone });
    } catch (err) {
      return failed(unavailable('could not queue the ride for dispatch', err));
    }
    ride.status = 'requested';
    return { status: 202, body: ride };
  }

  return {
    routes: [
      {
        method: 'POST',
        route: '/rides',
        async handle(req) {
          const body = req.body as { riderId?: unknown; zone?: unknown } | undefined;
          if (typeof body?.riderId !== 'string' || typeof body.zone !== 'string') return { status: 400, body: { error: 'body must be {riderId: string, zone: string}' } };
          const zone = zoneNamed(body.zone);
          if (!zone) return { status: 404, body: { error: `unknown zone ${body.zone}` } };
          const rideKey = req.headers['idempotency-key'] || randomUUID();
          const seen = rides.get(rideKey);
          // Idempotent per key: a requested ride is answered again, a failed one is tried again.
          if (seen?.status === 'requested') return { status: 200, body: seen };
          if (seen?.status === 'pending') return { status: 409, body: { ...seen, error: 'ride request in progress' } };
          const ride: Ride = seen ?? { id: `ride-${rides.size + 1}`, rideKey, riderId: body.riderId, zone: body.zone, status: 'pending', amountCents: holdAmountCents(zone) };
          ride.status = 'pending';
          rides.set(rideKey, ride);
          return request(ride);
        },
      },
      {
        method: 'GET',
        route: '/quotes/{zone}',
        async handle(req) {
          try {
            const out = await callPeer(tracer, pricing, { method: 'GET', path: `/quotes/${encodeURIComponent(req.params.zone)}`, route: '/quotes/{zone}', timeoutMs: PRICING_TIMEOUT_MS });
            return { status: out.status, body: out.body };
          } catch (err) {
            return { status: 502, body: { error: `pricing unreachable: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'GET',
        route: '/riders/{riderId}/balance',
        async handle(req) {
          const path = `/riders/${encodeURIComponent(req.params.riderId)}/balance`;
          try {
            // A read: retrying it is always safe.
            const out = await withOneRetry((resendCount) => ({ method: 'GET', path, route: '/riders/{riderId}/balance', timeoutMs: BALANCE_TIMEOUT_MS, resendCount }));
            return { status: out.status >= 500 ? 503 : out.status, body: out.body };
          } catch (err) {
            return unavailable('wallet unreachable', err);
          }
        },
      },
      {
        method: 'GET',
        route: '/debug/rides',
        handle: () => ({ status: 200, body: { rides: [...rides.values()], walletPool: pool.stats() } }),
      },
      {
        // What a restart of rider-api does to its clients: a fresh wallet
        // pool and a fresh queue connection. Operators call it from a runbook;
        // faultline calls it before every scenario (hooks.beforeScenario).
        method: 'POST',
        route: '/admin/reset',
        async handle() {
          pool.reset();
          const old = producer;
          producer = await connectProducer();
          old.close();
          return { status: 200, body: { walletPool: pool.stats() } };
        },
      },
    ],
    async close() {
      pool.close();
      producer.close();
    },
  };
});
