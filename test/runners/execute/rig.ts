/** The toy system behind a real fault proxy (startFaultProxy on port 0), for scenario and executor tests. */
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import type { Plan } from '../../../generators/plan.js';
import { startToySystem, type ToySystem } from './toy-system.js';
import { toyPlan, type ToyPlanOptions } from './toy-plan.js';

export interface Rig {
  toy: ToySystem;
  proxy: RunningFaultProxy;
  injector: ToxiproxyInjector;
  plan(over?: Omit<Partial<ToyPlanOptions>, 'frontUrl' | 'proxyListen' | 'pricesAddress'>): Plan;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const toy = await startToySystem();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  const injector = new ToxiproxyInjector(proxy.url);
  const state = await injector.ensureProxy({ name: 'prices', listen: '127.0.0.1:0', upstream: toy.pricesAddress, enabled: true });
  toy.setUpstream(state.listen);
  return {
    toy,
    proxy,
    injector,
    plan: (over = {}) => toyPlan({ frontUrl: toy.frontUrl, proxyListen: state.listen, pricesAddress: toy.pricesAddress, ...over }),
    async close() {
      await proxy.close();
      await toy.close();
    },
  };
}
