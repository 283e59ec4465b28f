/**
 * orders: turns a checkout into an order — reserve stock at inventory (behind
 * a circuit breaker), charge at payments, queue the confirmation email — and
 * keeps orders in memory for `GET /debug/orders`.
 *
 * Planted bugs (examples/demo/README.md):
 * - `no-timeout`: the payments call has no deadline, so checkout latency
 *   follows payments latency. Fixed: 300 ms deadline, then fail fast (503).
 * - `double-charge`: a charge that got no response is retried without an
 *   idempotency key, so payments applies it twice. Fixed: the order's request
 *   key is sent as `Idempotency-Key` and payments de-duplicates.
 * - `breaker-stuck`: the inventory breaker never half-opens once open.
 *   Fixed: half-open after 1 s.
 * - `lost-email`: the email is enqueued fire-and-forget and a failure is
 *   swallowed, though the checkout was acknowledged. Fixed: the enqueue is
 *   awaited with retries and the checkout fails if it cannot be queued.
 */
import { runService } from '../runtime/service-process.js';
import { callPeer, CallError, type CallResult, type Peer } from '../runtime/http-client.js';
import { CircuitBreaker } from '../runtime/breaker.js';
import { connectEmailProducer } from '../runtime/email-queue.js';
import type { JsonResponse } from '../runtime/http-server.js';

interface Order {
  id: string;
  requestKey: string;
  sku: string;
  qty: number;
  status: 'pending' | 'confirmed' | 'failed';
}

const PAYMENTS_TIMEOUT_MS = 300;
const PRICE_PER_UNIT = 10;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

await runService('orders', async (ctx) => {
  const { tracer, bugs } = ctx;
  const inventory: Peer = { service: 'inventory', baseUrl: ctx.env('INVENTORY_URL') };
  const payments: Peer = { service: 'payments', baseUrl: ctx.env('PAYMENTS_URL') };
  const emails = await connectEmailProducer(tracer, ctx.env('QUEUE_REDIS_URL'));
  const breaker = new CircuitBreaker({ failureThreshold: 3, halfOpenAfterMs: bugs.has('breaker-stuck') ? undefined : 1000 });
  const orders = new Map<string, Order>();
  const byKey = new Map<string, Order>();

  async function charge(order: Order): Promise<CallResult> {
    const fixed = !bugs.has('double-charge');
    const attempt = (resendCount: number) => callPeer(tracer, payments, {
      method: 'POST',
      path: '/charges',
      body: { orderKey: order.requestKey, amount: order.qty * PRICE_PER_UNIT },
      headers: fixed ? { 'idempotency-key': order.requestKey } : {},
      timeoutMs: bugs.has('no-timeout') ? undefined : PAYMENTS_TIMEOUT_MS,
      resendCount,
    });
    try {
      return await attempt(0);
    } catch (err) {
      // One retry when no response came back (reset, timeout): safe only with the idempotency key.
      if (!(err instanceof CallError)) throw err;
      return attempt(1);
    }
  }

  async function enqueueEmail(order: Order): Promise<boolean> {
    if (bugs.has('lost-email')) {
      void emails.enqueue(order.requestKey).catch(() => undefined);
      return true;
    }
    for (let i = 0; i < 3; i++) {
      try {
        await withDeadline(emails.enqueue(order.requestKey), 500);
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return false;
  }

  const failed = (order: Order, status: number, error: string): JsonResponse => {
    order.status = 'failed';
    return { status, body: { ...order, error } };
  };

  async function place(order: Order): Promise<JsonResponse> {
    if (!breaker.allow()) return failed(order, 503, 'inventory circuit open');
    let reserved: CallResult;
    try {
      reserved = await callPeer(tracer, inventory, {
        method: 'POST', path: '/reservations', body: { sku: order.sku, qty: order.qty, orderKey: order.requestKey }, timeoutMs: 1000,
      });
    } catch (err) {
      breaker.failure();
      return failed(order, 503, `inventory unreachable: ${(err as Error).message}`);
    }
    if (reserved.status >= 500) { breaker.failure(); return failed(order, 503, `inventory answered ${reserved.status}`); }
    breaker.success();
    if (reserved.status >= 300) return failed(order, reserved.status, `reservation refused: ${JSON.stringify(reserved.body)}`);
    let paid: CallResult;
    try {
      paid = await charge(order);
    } catch (err) {
      return failed(order, 503, `payments unreachable: ${(err as Error).message}`);
    }
    if (paid.status >= 300) return failed(order, paid.status >= 500 ? 503 : 402, `charge refused: ${JSON.stringify(paid.body)}`);
    if (!(await enqueueEmail(order))) return failed(order, 503, 'could not queue the confirmation email');
    order.status = 'confirmed';
    return { status: 201, body: order };
  }

  return {
    routes: [
      {
        method: 'POST',
        route: '/orders',
        async handle(req) {
          const body = req.body as { sku?: unknown; qty?: unknown; requestKey?: unknown } | undefined;
          if (typeof body?.sku !== 'string' || typeof body.requestKey !== 'string' || !Number.isInteger(body.qty) || (body.qty as number) <= 0) {
            return { status: 400, body: { error: 'body must be {sku: string, qty: positive integer, requestKey: string}' } };
          }
          const seen = byKey.get(body.requestKey);
          // Idempotent per request key: a confirmed order is returned, a failed one is tried again.
          if (seen?.status === 'confirmed') return { status: 200, body: seen };
          if (seen?.status === 'pending') return { status: 409, body: { ...seen, error: 'order in progress' } };
          const order: Order = seen ?? { id: `ord-${orders.size + 1}`, requestKey: body.requestKey, sku: body.sku, qty: body.qty as number, status: 'pending' };
          order.status = 'pending';
          orders.set(order.id, order);
          byKey.set(order.requestKey, order);
          return place(order);
        },
      },
      {
        method: 'GET',
        route: '/orders/{id}',
        handle: (req) => {
          const order = orders.get(req.params.id);
          return order ? { status: 200, body: order } : { status: 404, body: { error: `no order ${req.params.id}` } };
        },
      },
      {
        method: 'GET',
        route: '/debug/orders',
        handle: () => ({ status: 200, body: { orders: [...orders.values()], breaker: breaker.state } }),
      },
      {
        // What a restart would do to the breaker: faultline's before-scenario
        // hook calls it so a breaker stuck open by one scenario does not
        // leave the next one with a broken shop.
        method: 'POST',
        route: '/debug/reset',
        handle: () => {
          breaker.reset();
          return { status: 200, body: { breaker: breaker.state } };
        },
      },
    ],
    close: () => emails.close(),
  };
});
