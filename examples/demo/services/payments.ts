/**
 * payments: charges an order. A charge carrying an `Idempotency-Key` header
 * is applied at most once per key (the Stripe-style idempotent request); a
 * charge without one is always applied, which is what the `double-charge`
 * bug in orders relies on.
 */
import { randomUUID } from 'node:crypto';
import { runService } from '../runtime/service-process.js';

/** One applied charge, as `GET /debug/charges` shows it. */
interface Charge {
  id: string;
  orderKey: string;
  amount: number;
}

/** The in-memory charge ledger. */
class Ledger {
  readonly charges: Charge[] = [];
  private readonly byKey = new Map<string, Charge>();

  /** Apply a charge; with an idempotency key a repeat returns the first charge unchanged. */
  charge(orderKey: string, amount: number, idempotencyKey?: string): { charge: Charge; replayed: boolean } {
    const seen = idempotencyKey === undefined ? undefined : this.byKey.get(idempotencyKey);
    if (seen) return { charge: seen, replayed: true };
    const charge = { id: randomUUID(), orderKey, amount };
    this.charges.push(charge);
    if (idempotencyKey !== undefined) this.byKey.set(idempotencyKey, charge);
    return { charge, replayed: false };
  }
}

await runService('payments', async () => {
  const ledger = new Ledger();
  return {
    routes: [
      {
        method: 'POST',
        route: '/charges',
        async handle(req) {
          const body = req.body as { orderKey?: unknown; amount?: unknown } | undefined;
          if (typeof body?.orderKey !== 'string' || typeof body.amount !== 'number') {
            return { status: 400, body: { error: 'body must be {orderKey: string, amount: number}' } };
          }
          // A small random processing delay, like a card network's.
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
          const { charge, replayed } = ledger.charge(body.orderKey, body.amount, req.headers['idempotency-key']);
          return { status: replayed ? 200 : 201, body: charge };
        },
      },
      { method: 'GET', route: '/debug/charges', handle: () => ({ status: 200, body: { charges: ledger.charges } }) },
    ],
  };
});
