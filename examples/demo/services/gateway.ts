/**
 * gateway: the public API. Checkout passes the client's `Idempotency-Key`
 * down as the order's request key, so every record downstream (order,
 * charge, email) carries the key the client generated.
 */
import { randomUUID } from 'node:crypto';
import { runService } from '../runtime/service-process.js';
import { callPeer, type CallOptions, type Peer } from '../runtime/http-client.js';
import type { JsonResponse } from '../runtime/http-server.js';

/**
 * The gateway's deadline on every upstream call. Fixed: 800 ms, so a slow
 * dependency costs a checkout at most that (and a 502) instead of the user's
 * patience. Planted bug `no-timeout` (shared with orders→payments): the
 * gateway waits up to 10 s, so checkout latency follows any slow hop.
 */
const FIXED_TIMEOUT_MS = 800;
const BUGGY_TIMEOUT_MS = 10_000;

await runService('gateway', async (ctx) => {
  const UPSTREAM_TIMEOUT_MS = ctx.bugs.has('no-timeout') ? BUGGY_TIMEOUT_MS : FIXED_TIMEOUT_MS;
  const orders: Peer = { service: 'orders', baseUrl: ctx.env('ORDERS_URL') };
  const inventory: Peer = { service: 'inventory', baseUrl: ctx.env('INVENTORY_URL') };

  async function forward(peer: Peer, opts: CallOptions): Promise<JsonResponse> {
    try {
      const out = await callPeer(ctx.tracer, peer, { ...opts, timeoutMs: UPSTREAM_TIMEOUT_MS });
      return { status: out.status, body: out.body };
    } catch (err) {
      return { status: 502, body: { error: `${peer.service} unreachable: ${(err as Error).message}` } };
    }
  }

  return {
    routes: [
      {
        method: 'POST',
        route: '/checkout',
        handle(req) {
          const body = req.body as { sku?: unknown; qty?: unknown } | undefined;
          if (typeof body?.sku !== 'string' || !Number.isInteger(body.qty) || (body.qty as number) <= 0) {
            return { status: 400, body: { error: 'body must be {sku: string, qty: positive integer}' } };
          }
          const requestKey = req.headers['idempotency-key'] || randomUUID();
          return forward(orders, { method: 'POST', path: '/orders', body: { sku: body.sku, qty: body.qty, requestKey } });
        },
      },
      {
        method: 'GET',
        route: '/stock/{sku}',
        handle: (req) => forward(inventory, { method: 'GET', path: `/stock/${encodeURIComponent(req.params.sku)}`, route: '/stock/{sku}' }),
      },
      {
        method: 'GET',
        route: '/orders/{id}',
        handle: (req) => forward(orders, { method: 'GET', path: `/orders/${encodeURIComponent(req.params.id)}`, route: '/orders/{id}' }),
      },
    ],
  };
});
