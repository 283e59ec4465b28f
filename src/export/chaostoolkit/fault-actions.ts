/**
 * Every fault type of base/faults.ts as Chaos Toolkit activities: how to
 * put it on a proxy and how to take it off. The table is keyed by FaultType,
 * so a new fault type does not compile until it is given a mapping here.
 *
 * The chaostoolkit-toxiproxy extension (module chaostoxi) has one function
 * per common toxic, but those hard-code `stream: downstream` and a toxicity
 * of 1.0 (chaostoxi/toxic/actions.py). Using one for an upstream or 30 %
 * fault would quietly run a different experiment, so the dedicated function
 * is used only when the scenario's fault is exactly that; otherwise the
 * extension's generic `create_toxic`, which takes stream and toxicity.
 * faultline's own per-request toxics (http_error, http_delay) have no
 * function there: they go through Toxiproxy's HTTP API (`POST
 * /proxies/{proxy}/toxics`), which faultline's proxy serves, as an `http`
 * provider. `flap` is unrolled into disable/enable pairs.
 */
import { defaultAttributes, faultOf, type FaultType } from '../../../base/faults.js';
import type { ScenarioFault } from '../../../generators/plan.js';
import type { CtkActivity, CtkHttpProvider } from './format.js';

/** The extension's modules (chaostoolkit-toxiproxy on PyPI). */
export const TOXIC_MODULE = 'chaostoxi.toxic.actions';
export const PROXY_MODULE = 'chaostoxi.proxy.actions';

/** Where the fault goes and under which name, plus how long its phase lasts. */
export interface FaultTarget {
  proxy: string;
  toxicName: string;
  fault: ScenarioFault;
  faultMs: number;
}

/** How one fault is injected (the method) and removed (again in the method, and as rollbacks). */
export interface FaultActivities {
  inject: CtkActivity[];
  remove: CtkActivity[];
}

/** What carries a fault type: the extension's functions, or Toxiproxy's HTTP API directly. */
export type FaultVia = 'chaostoolkit-toxiproxy' | 'toxiproxy-http-api';

interface FaultMapping {
  via: FaultVia;
  activities(t: FaultTarget): FaultActivities;
}

/** Flap spells beyond this are left out: an experiment file with thousands of steps helps nobody. */
export const MAX_FLAP_CYCLES = 50;

const seconds = (ms: number) => Math.round(ms) / 1000;
const attrs = (f: ScenarioFault) => ({ ...defaultAttributes(f.toxic), ...f.attributes });
// A per-request toxic has one stream (base/faults.ts); older plans may name the other one.
const streamOf = (f: ScenarioFault) => faultOf(f.toxic).stream ?? f.stream;

function action(name: string, module: string, func: string, args: Record<string, unknown>, after?: number): CtkActivity {
  return { type: 'action', name, provider: { type: 'python', module, func, arguments: args }, ...(after ? { pauses: { after } } : {}) };
}

const deleteToxic = (t: FaultTarget) => action(`remove ${t.fault.toxic} toxic ${t.toxicName}`, TOXIC_MODULE, 'delete_toxic', { for_proxy: t.proxy, toxic_name: t.toxicName });

/** The extension's `create_toxic`: any toxic Toxiproxy knows, with stream and toxicity. */
function genericToxic(t: FaultTarget): FaultActivities {
  const f = t.fault;
  const args = { for_proxy: t.proxy, toxic_name: t.toxicName, toxic_type: f.toxic, stream: streamOf(f), toxicity: f.toxicity, attributes: attrs(f) };
  return { inject: [action(`inject ${f.toxic} on ${t.proxy}`, TOXIC_MODULE, 'create_toxic', args, seconds(t.faultMs))], remove: [deleteToxic(t)] };
}

/** A dedicated function when the fault is what it hard-codes (downstream, toxicity 1), else `create_toxic`. */
function dedicated(func: string, args: (a: Record<string, number>) => Record<string, number>): FaultMapping {
  return {
    via: 'chaostoolkit-toxiproxy',
    activities(t) {
      if (t.fault.stream !== 'downstream' || t.fault.toxicity !== 1) return genericToxic(t);
      const a = { for_proxy: t.proxy, toxic_name: t.toxicName, ...args(attrs(t.fault)) };
      return { inject: [action(`inject ${t.fault.toxic} on ${t.proxy}`, TOXIC_MODULE, func, a, seconds(t.faultMs))], remove: [deleteToxic(t)] };
    },
  };
}

const generic: FaultMapping = { via: 'chaostoolkit-toxiproxy', activities: genericToxic };

/** Toxiproxy's HTTP API, for toxics the extension has no function for; `${toxiproxy_url}` comes from the configuration. */
const httpApi: FaultMapping = {
  via: 'toxiproxy-http-api',
  activities(t) {
    const f = t.fault;
    const base = `\${toxiproxy_url}/proxies/${encodeURIComponent(t.proxy)}/toxics`;
    const add: CtkHttpProvider = {
      type: 'http', url: base, method: 'POST', headers: { 'Content-Type': 'application/json' },
      arguments: { name: t.toxicName, type: f.toxic, stream: streamOf(f), toxicity: f.toxicity, attributes: attrs(f) },
    };
    const del: CtkHttpProvider = { type: 'http', url: `${base}/${encodeURIComponent(t.toxicName)}`, method: 'DELETE' };
    return {
      inject: [{ type: 'action', name: `inject ${f.toxic} on ${t.proxy}`, provider: add, pauses: { after: seconds(t.faultMs) } }],
      remove: [{ type: 'action', name: `remove ${f.toxic} toxic ${t.toxicName}`, provider: del }],
    };
  },
};

const enable = (proxy: string, after?: number) => action(`enable proxy ${proxy}`, PROXY_MODULE, 'enable_proxy', { proxy_name: proxy }, after);
const disable = (proxy: string, after?: number) => action(`disable proxy ${proxy}`, PROXY_MODULE, 'disable_proxy', { proxy_name: proxy }, after);

/** The mapping of every fault type faultline plans. */
export const CTK_FAULTS: { readonly [T in FaultType]: FaultMapping } = {
  latency: dedicated('create_latency_toxic', (a) => ({ latency: a.latency, jitter: a.jitter })),
  // Sic: the extension spells it "bandwith".
  bandwidth: dedicated('create_bandwith_degradation_toxic', (a) => ({ rate: a.rate })),
  slow_close: dedicated('create_slow_connection_close_toxic', (a) => ({ delay: a.delay })),
  timeout: dedicated('create_timeout_toxic', (a) => ({ timeout: a.timeout })),
  slicer: dedicated('create_slicer_toxic', (a) => ({ average_size: a.average_size, size_variation: a.size_variation, delay: a.delay })),
  limit_data: dedicated('create_limiter_toxic', (a) => ({ bytes_limit: a.bytes })),
  reset_peer: generic,
  noop: generic,
  http_error: httpApi,
  http_delay: httpApi,
  down: {
    via: 'chaostoolkit-toxiproxy',
    activities: (t) => ({ inject: [disable(t.proxy, seconds(t.faultMs))], remove: [enable(t.proxy)] }),
  },
  flap: {
    via: 'chaostoolkit-toxiproxy',
    activities(t) {
      const { down_ms: downMs, up_ms: upMs } = attrs(t.fault);
      const cycles = Math.min(MAX_FLAP_CYCLES, Math.max(1, Math.ceil(t.faultMs / (downMs + upMs))));
      const inject = Array.from({ length: cycles }, () => [disable(t.proxy, seconds(downMs)), enable(t.proxy, seconds(upMs))]).flat();
      return { inject, remove: [enable(t.proxy)] };
    },
  },
};

/** The activities for one scenario's fault. */
export function faultActivities(t: FaultTarget): FaultActivities {
  return CTK_FAULTS[t.fault.toxic].activities(t);
}
