/**
 * The example systems `faultline demo --system NAME` can run, behind one
 * small interface: start it, drive warm-up traffic, stop it. The demo
 * command knows this registry and nothing of the systems' insides; each
 * system describes itself to faultline only through the manifest it hands
 * back.
 */
import { fail } from '../base/errors.js';
import type { Manifest } from '../generators/manifest.js';
import type { SpanStore } from '../ingest/span-store.js';
import { startDemo } from './demo/index.js';
import { BUGS } from './demo/bugs.js';
import { driveTraffic } from './demo/traffic.js';
import { startRides } from './rides/index.js';
import { RIDES_BUGS } from './rides/bugs.js';
import { driveRidesTraffic } from './rides/traffic.js';
import { startLedger } from './ledger/index.js';
import { LEDGER_BUGS } from './ledger/bugs.js';
import { driveLedgerTraffic } from './ledger/traffic.js';
import { startTickets } from './tickets/index.js';
import { TICKETS_BUGS } from './tickets/bugs.js';
import { driveTicketsTraffic } from './tickets/traffic.js';
import { startClinic } from './clinic/index.js';
import { CLINIC_BUGS } from './clinic/bugs.js';
import { driveClinicTraffic } from './clinic/traffic.js';

/** How to start an example system. */
export interface ExampleStartOptions {
  /** Planted bugs to switch on: a list, `all` or `none`. */
  bugs: readonly string[] | 'all' | 'none';
  /** Redis to use; absent starts a private redis-server on a free port. */
  redisUrl?: string;
  log?: (line: string) => void;
}

/** Warm-up traffic settings. */
export interface ExampleTrafficOptions {
  requests: number;
  concurrency: number;
  seed: number;
}

/** A running example system. */
export interface RunningExample {
  /** The URL its users call (gateway, API). */
  entryUrl: string;
  /** The Toxiproxy-compatible API its proxies live on. */
  proxyUrl: string;
  /** The OTLP receiver's span store the system exports to. */
  store?: SpanStore;
  /** The planted bugs switched on. */
  bugs: readonly string[];
  /** The manifest for this run: real ports, proxies, probes and claims. */
  manifest: Manifest;
  /** Drive representative load so the traces cover every edge. */
  traffic(opts: ExampleTrafficOptions): Promise<void>;
  stop(): Promise<void>;
}

/** One example system. */
export interface ExampleSystem {
  /** The `--system` value. */
  name: string;
  /** One line for progress output, e.g. `5 services, Redis cache and queue`. */
  summary: string;
  /** Every planted bug's name. */
  bugs: readonly string[];
  start(opts: ExampleStartOptions): Promise<RunningExample>;
}

const shop: ExampleSystem = {
  name: 'shop',
  summary: 'the demo shop: 5 services, a Redis cache and a BullMQ queue',
  bugs: BUGS,
  async start(opts) {
    const demo = await startDemo(opts);
    return {
      entryUrl: demo.gatewayUrl,
      proxyUrl: demo.proxyUrl,
      ...(demo.store ? { store: demo.store } : {}),
      bugs: demo.bugs,
      manifest: demo.manifest,
      traffic: async (t) => { await driveTraffic(demo.gatewayUrl, t); },
      stop: () => demo.stop(),
    };
  },
};

const rides: ExampleSystem = {
  name: 'rides',
  summary: 'ride hailing: 5 services, Redis driver leases and a Redis-list work queue',
  bugs: RIDES_BUGS,
  async start(opts) {
    const sys = await startRides(opts);
    return {
      entryUrl: sys.riderApiUrl,
      proxyUrl: sys.proxyUrl,
      ...(sys.store ? { store: sys.store } : {}),
      bugs: sys.bugs,
      manifest: sys.manifest,
      traffic: async (t) => { await driveRidesTraffic(sys.riderApiUrl, t); },
      stop: () => sys.stop(),
    };
  },
};

const ledger: ExampleSystem = {
  name: 'ledger',
  summary: 'money movement: 4 services, Redis balances, a limit cache and a Redis-stream statement worker',
  bugs: LEDGER_BUGS,
  async start(opts) {
    const sys = await startLedger(opts);
    return {
      entryUrl: sys.bankApiUrl,
      proxyUrl: sys.proxyUrl,
      ...(sys.store ? { store: sys.store } : {}),
      bugs: sys.bugs,
      manifest: sys.manifest,
      traffic: async (t) => { await driveLedgerTraffic(sys.bankApiUrl, t); },
      stop: () => sys.stop(),
    };
  },
};

const tickets: ExampleSystem = {
  name: 'tickets',
  summary: 'event ticketing: 5 services, Redis seat holds and inventory, a price cache and a Redis-stream fulfilment worker',
  bugs: TICKETS_BUGS,
  async start(opts) {
    const sys = await startTickets(opts);
    return {
      entryUrl: sys.boxOfficeUrl,
      proxyUrl: sys.proxyUrl,
      ...(sys.store ? { store: sys.store } : {}),
      bugs: sys.bugs,
      manifest: sys.manifest,
      traffic: async (t) => { await driveTicketsTraffic(sys.boxOfficeUrl, t); },
      stop: () => sys.stop(),
    };
  },
};

const clinic: ExampleSystem = {
  name: 'clinic',
  summary: 'clinic appointments: 4 services, PostgreSQL (slots, appointments, allergy records, the board) and a Redis-list board relay',
  bugs: CLINIC_BUGS,
  async start(opts) {
    const sys = await startClinic(opts);
    return {
      entryUrl: sys.frontDeskUrl,
      proxyUrl: sys.proxyUrl,
      ...(sys.store ? { store: sys.store } : {}),
      bugs: sys.bugs,
      manifest: sys.manifest,
      traffic: async (t) => { await driveClinicTraffic(sys.frontDeskUrl, t); },
      stop: () => sys.stop(),
    };
  },
};

/** Every example system, the default first. */
export const EXAMPLE_SYSTEMS: readonly ExampleSystem[] = [shop, rides, ledger, tickets, clinic];

/** The example system called `name` (BAD_INPUT naming the known ones otherwise). */
export function exampleSystem(name: string): ExampleSystem {
  const found = EXAMPLE_SYSTEMS.find((s) => s.name === name);
  if (!found) throw fail('BAD_INPUT', `unknown example system ${JSON.stringify(name)}; known: ${EXAMPLE_SYSTEMS.map((s) => s.name).join(', ')}`, { known: EXAMPLE_SYSTEMS.map((s) => s.name) });
  return found;
}
