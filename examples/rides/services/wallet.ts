/**
 * wallet: riders' accounts and the fare holds placed on them when a ride is
 * requested. A hold carrying an `Idempotency-Key` header is placed at most
 * once per key — also when the retry arrives while the first request is
 * still being processed — so a caller may retry safely. A hold without one
 * is always placed, which is what the `duplicate-hold` bug in rider-api
 * relies on.
 */
import { randomUUID } from 'node:crypto';
import { runRidesService } from '../runtime/service-process.js';

/** One fare hold, as `GET /debug/holds` shows it. */
interface Hold {
  id: string;
  rideKey: string;
  riderId: string;
  amountCents: number;
}

/** The riders the wallet knows (`r-10` … `r-99`) and what each starts with. */
const FIRST_RIDER = 10;
const LAST_RIDER = 99;
const OPENING_BALANCE_CENTS = 100_000_000;

/** The accounts and their holds. */
class Accounts {
  readonly holds: Hold[] = [];
  private readonly available = new Map<string, number>();
  private readonly held = new Map<string, number>();
  private readonly byKey = new Map<string, Promise<Hold | 'insufficient'>>();

  constructor() {
    for (let n = FIRST_RIDER; n <= LAST_RIDER; n++) {
      this.available.set(`r-${n}`, OPENING_BALANCE_CENTS);
      this.held.set(`r-${n}`, 0);
    }
  }

  knows(riderId: string): boolean {
    return this.available.has(riderId);
  }

  balance(riderId: string): { riderId: string; availableCents: number; heldCents: number } {
    return { riderId, availableCents: this.available.get(riderId) ?? 0, heldCents: this.held.get(riderId) ?? 0 };
  }

  /**
   * Place a hold. With an idempotency key the first request's outcome is
   * shared with every repeat, including repeats that arrive before it is done.
   */
  place(req: Omit<Hold, 'id'>, idempotencyKey: string | undefined): Promise<{ hold: Hold | 'insufficient'; replayed: boolean }> {
    const seen = idempotencyKey === undefined ? undefined : this.byKey.get(idempotencyKey);
    if (seen) return seen.then((hold) => ({ hold, replayed: true }));
    const placing = (async (): Promise<Hold | 'insufficient'> => {
      // The card network's authorisation takes a moment.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 15));
      const have = this.available.get(req.riderId) ?? 0;
      if (have < req.amountCents) return 'insufficient';
      this.available.set(req.riderId, have - req.amountCents);
      this.held.set(req.riderId, (this.held.get(req.riderId) ?? 0) + req.amountCents);
      const hold = { id: randomUUID(), ...req };
      this.holds.push(hold);
      return hold;
    })();
    if (idempotencyKey !== undefined) this.byKey.set(idempotencyKey, placing);
    return placing.then((hold) => ({ hold, replayed: false }));
  }
}

await runRidesService('wallet', async () => {
  const accounts = new Accounts();
  return {
    routes: [
      {
        method: 'POST',
        route: '/holds',
        async handle(req) {
          const body = req.body as { rideKey?: unknown; riderId?: unknown; amountCents?: unknown } | undefined;
          if (typeof body?.rideKey !== 'string' || typeof body.riderId !== 'string' || !Number.isInteger(body.amountCents) || (body.amountCents as number) <= 0) {
            return { status: 400, body: { error: 'body must be {rideKey: string, riderId: string, amountCents: positive integer}' } };
          }
          if (!accounts.knows(body.riderId)) return { status: 404, body: { error: `no account for rider ${body.riderId}` } };
          const { hold, replayed } = await accounts.place({ rideKey: body.rideKey, riderId: body.riderId, amountCents: body.amountCents as number }, req.headers['idempotency-key']);
          if (hold === 'insufficient') return { status: 402, body: { error: 'insufficient funds' } };
          return { status: replayed ? 200 : 201, body: hold };
        },
      },
      {
        method: 'GET',
        route: '/riders/{riderId}/balance',
        handle(req) {
          const riderId = req.params.riderId;
          if (!accounts.knows(riderId)) return { status: 404, body: { error: `no account for rider ${riderId}` } };
          return { status: 200, body: accounts.balance(riderId) };
        },
      },
      { method: 'GET', route: '/debug/holds', handle: () => ({ status: 200, body: { holds: accounts.holds } }) },
    ],
  };
});
