/**
 * fx: exchange rates, standing in for an external rate provider. It is
 * slow-ish (40–120 ms per quote, like a provider across the internet) and
 * serves at most FX_CONCURRENCY quotes at once, queueing the rest — as a
 * rate-limited partner API does. It keeps working on a request whose
 * client already gave up (it cannot know), so abandoned retries still cost
 * it capacity.
 */
import { runLedgerService } from '../runtime/service-process.js';
import { FX_PAIRS } from '../runtime/accounts.js';

const FX_CONCURRENCY = 8;

await runLedgerService('fx', async () => {
  let busy = 0;
  const waiting: (() => void)[] = [];
  let served = 0;
  const slot = async () => {
    if (busy < FX_CONCURRENCY) { busy += 1; return; }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next(); else busy -= 1;
  };
  return {
    routes: [
      {
        method: 'GET',
        route: '/rates/{pair}',
        async handle(req) {
          const mid = FX_PAIRS[req.params.pair];
          if (mid === undefined) return { status: 404, body: { error: `no rate for ${req.params.pair}` } };
          await slot();
          try {
            await new Promise((r) => setTimeout(r, 40 + Math.random() * 80));
            served += 1;
            const wiggle = 1 + (Math.random() - 0.5) * 0.002;
            return { status: 200, body: { pair: req.params.pair, rate: Number((mid * wiggle).toFixed(5)), at: new Date().toISOString() } };
          } finally {
            release();
          }
        },
      },
      { method: 'GET', route: '/debug/load', handle: () => ({ status: 200, body: { busy, waiting: waiting.length, served } }) },
    ],
  };
});
