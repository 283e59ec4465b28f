/**
 * Fault step: put the scenario's fault on its proxy and take it off again.
 * A toxic carries a TTL (fault duration + margin, a faultline-proxy
 * extension) so it disappears even if this process dies mid-fault; `down`
 * is a disabled proxy (Toxiproxy has no toxic for it), disabled with the
 * same TTL so the proxy comes back by itself. Removal is idempotent and is
 * always called by the coordinator in a finally.
 */
import type { Scenario } from '../../../generators/plan.js';
import type { FaultInjector } from '../../faults/fault-injector.js';

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
  let removed = false;
  if (fault.toxic === 'down') {
    await injector.setEnabled(proxy, false, Math.ceil(ttlMs));
    return {
      proxy,
      toxicName,
      async remove() {
        if (removed) return;
        await injector.setEnabled(proxy, true);
        removed = true;
      },
    };
  }
  await injector.addToxic(proxy, {
    name: toxicName,
    type: fault.toxic,
    stream: fault.stream,
    toxicity: fault.toxicity,
    attributes: fault.attributes,
    ttlMs: Math.ceil(ttlMs),
  });
  return {
    proxy,
    toxicName,
    async remove() {
      if (removed) return;
      await injector.removeToxic(proxy, toxicName);
      removed = true;
    },
  };
}
