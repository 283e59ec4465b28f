/**
 * Fault step: put the scenario's fault on its proxy and take it off again.
 * A toxic carries a TTL (fault duration + margin, a faultline-proxy
 * extension) so it disappears even if this process dies mid-fault. The
 * proxy-state faults of the table (base/faults.ts) are not toxics: `down`
 * is a disabled proxy, `flap` a proxy this step disables and enables on a
 * timer; every disable carries a TTL so the proxy comes back by itself.
 * Removal is idempotent, always leaves the proxy enabled (or the toxic
 * gone) and is always called by the coordinator in a finally.
 */
import { fail } from '../../../base/errors.js';
import { defaultAttributes, faultOf } from '../../../base/faults.js';
import type { Scenario } from '../../../generators/plan.js';
import type { FaultInjector } from '../../faults/fault-injector.js';

/**
 * How much longer than one flap down spell its TTL is: the step's own timer
 * normally ends the spell, the TTL only ends it if this process died.
 */
export const FLAP_TTL_SLACK_MS = 1000;

/** An injected fault. */
export interface ActiveFault {
  readonly proxy: string;
  readonly toxicName: string;
  /** Remove it; safe to call more than once. */
  remove(): Promise<void>;
}

/** Inject the scenario's fault. */
export async function injectFault(
  injector: FaultInjector,
  scenario: Scenario,
  toxicName: string,
  ttlMs: number,
): Promise<ActiveFault> {
  const proxy = scenario.target.proxy;
  const { fault } = scenario;
  const ttl = Math.ceil(ttlMs);
  if (fault.toxic === 'flap') {
    const { down_ms: downMs, up_ms: upMs } = { ...defaultAttributes('flap'), ...fault.attributes };
    return startFlap(injector, proxy, toxicName, { downMs, upMs, ttlMs: ttl });
  }
  if (fault.toxic === 'down') {
    await injector.setEnabled(proxy, false, ttl);
    return once(proxy, toxicName, () => injector.setEnabled(proxy, true));
  }
  await injector.addToxic(proxy, {
    name: toxicName,
    type: fault.toxic,
    // A per-request toxic has one stream; older plans may name the other one.
    stream: faultOf(fault.toxic).stream ?? fault.stream,
    toxicity: fault.toxicity,
    attributes: fault.attributes,
    ttlMs: ttl,
  });
  return once(proxy, toxicName, () => injector.removeToxic(proxy, toxicName));
}

/** An ActiveFault whose removal runs `undo` until it succeeds once. */
function once(proxy: string, toxicName: string, undo: () => Promise<void>): ActiveFault {
  let removed = false;
  return {
    proxy,
    toxicName,
    async remove() {
      if (removed) return;
      await undo();
      removed = true;
    },
  };
}

/**
 * Flap: disabled for downMs, enabled for upMs, over and over until removed
 * or until the fault's TTL has passed (so a step whose remove() is never
 * reached stops flapping by itself). Toggles are chained, so remove() waits
 * for one in flight and cannot be overtaken by a late disable.
 */
async function startFlap(
  injector: FaultInjector,
  proxy: string,
  toxicName: string,
  opts: { downMs: number; upMs: number; ttlMs: number },
): Promise<ActiveFault> {
  const deadline = Date.now() + opts.ttlMs;
  let stopped = false;
  let removed = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let broken: unknown;

  const schedule = (ms: number, step: () => Promise<void>) => {
    timer = setTimeout(() => {
      timer = undefined;
      chain = chain.then(step).catch((err: unknown) => {
        // The proxy stopped answering mid-flap: stop toggling, remove() reports it.
        broken = err;
        stopped = true;
      });
    }, ms);
    timer.unref();
  };
  const goDown = async () => {
    const left = deadline - Date.now();
    if (stopped || left <= 0) return;
    await injector.setEnabled(proxy, false, Math.ceil(Math.min(left, opts.downMs + FLAP_TTL_SLACK_MS)));
    if (!stopped) schedule(opts.downMs, goUp);
  };
  const goUp = async () => {
    if (stopped) return;
    await injector.setEnabled(proxy, true);
    if (!stopped) schedule(opts.upMs, goDown);
  };

  await goDown();
  return {
    proxy,
    toxicName,
    async remove() {
      if (removed) return;
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await chain;
      await injector.setEnabled(proxy, true);
      removed = true;
      if (broken !== undefined) {
        throw fail('PROXY_UNAVAILABLE', `flap on ${proxy} stopped early: ${(broken as Error).message ?? String(broken)}`, { proxy }, broken);
      }
    },
  };
}
