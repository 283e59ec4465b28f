/**
 * pricing: dynamic prices per event, standing in for a demand-pricing
 * engine that is expensive to ask: each quote is computed from scratch
 * (150–250 ms) and the engine computes ONE quote at a time, queueing the
 * rest, as a licensed engine with a single worker does. Callers are meant
 * to cache its answers. It keeps working on a request whose caller already
 * gave up (it cannot know).
 */
import { runTicketsService } from '../runtime/service-process.js';
import { EVENTS, SECTIONS, SEAT_PRICE_CENTS } from '../runtime/venue.js';

await runTicketsService('pricing', async () => {
  let busy = false;
  const waiting: (() => void)[] = [];
  let served = 0;
  const slot = async () => {
    if (!busy) { busy = true; return; }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next(); else busy = false;
  };
  return {
    routes: [
      {
        method: 'GET',
        route: '/events/{event}/prices',
        async handle(req) {
          const event = req.params.event;
          if (!EVENTS.includes(event)) return { status: 404, body: { error: `no event ${event}` } };
          await slot();
          try {
            await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
            served += 1;
            const demand = 1 + Math.random() * 0.2;
            const prices = Object.fromEntries(SECTIONS.map((s) => [s, Math.round(SEAT_PRICE_CENTS[s] * demand)]));
            return { status: 200, body: { event, prices, computedAt: new Date().toISOString() } };
          } finally {
            release();
          }
        },
      },
      { method: 'GET', route: '/debug/load', handle: () => ({ status: 200, body: { busy, waiting: waiting.length, served } }) },
    ],
  };
});
