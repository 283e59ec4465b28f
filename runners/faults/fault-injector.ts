/**
 * The seam between runs and whatever injects network faults. The one real
 * adapter (runners/faults/toxiproxy-injector.ts) speaks the Toxiproxy HTTP API via
 * toxiproxy-node-client, so it drives a real Toxiproxy server or faultline's
 * own compatible proxy unchanged. Counters and TTLs are faultline-proxy
 * extensions: against a real Toxiproxy `counters()` answers undefined and the
 * runner proves landing from traces and client-side timings instead.
 * The toxic types themselves are the fault table's (base/faults.ts).
 */
import type { ToxicStream, ToxicType } from '../../base/faults.js';
import type { ProxySpec } from '../../base/proxy-spec.js';

/** A toxic as Toxiproxy models it (attributes in Toxiproxy's units). */
export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  /** Probability (0..1) that a connection (or request, for http_* toxics) is affected. */
  toxicity: number;
  attributes: Record<string, number>;
  /** faultline-proxy extension: the toxic removes itself after this long. */
  ttlMs?: number;
}

/** A proxy as the server reports it. */
export interface ProxyState extends Required<ProxySpec> {
  toxics: ToxicSpec[];
}

/** faultline-proxy counters: the raw material of landing evidence. */
export interface ProxyCounters {
  proxy: string;
  connections: number;
  activeConnections: number;
  bytesUpstream: number;
  bytesDownstream: number;
  /**
   * Per toxic name: connections (or HTTP requests) it touched, resets it sent;
   * for http_* toxics the requests affected and the bytes that were not HTTP/1.x
   * (passed through untouched).
   */
  toxics: Record<string, { touched: number; resets: number; requests?: number; unparsedBytes?: number }>;
}

/** Narrow interface the runners use to inject faults. */
export interface FaultInjector {
  /** Human name: `toxiproxy http://127.0.0.1:8474`. */
  readonly describe: string;
  /** Server version string (`GET /version`); throws PROXY_UNAVAILABLE when unreachable. */
  version(): Promise<string>;
  /** Create the proxy if missing, or update listen/upstream/enabled to match. Returns the live state. */
  ensureProxy(spec: ProxySpec): Promise<ProxyState>;
  /** The proxy's state, undefined when it does not exist. */
  getProxy(name: string): Promise<ProxyState | undefined>;
  listProxies(): Promise<ProxyState[]>;
  addToxic(proxy: string, toxic: ToxicSpec): Promise<void>;
  /** Remove a toxic; a toxic that is already gone is not an error. */
  removeToxic(proxy: string, toxicName: string): Promise<void>;
  /**
   * Enable or disable a proxy ("down" is a disabled proxy). Disabling with
   * `ttlMs` asks the server to enable it again by itself after that long, so
   * a run that dies mid-fault cannot leave the dependency down: a faultline
   * proxy extension (`ttl_ms`, as on toxics); Toxiproxy ignores the field.
   */
  setEnabled(proxy: string, enabled: boolean, ttlMs?: number): Promise<void>;
  /** Remove every toxic and re-enable every proxy (Toxiproxy `POST /reset`). */
  reset(): Promise<void>;
  /** Counters when the server has them (faultline's proxy), else undefined. */
  counters(proxy: string): Promise<ProxyCounters | undefined>;
}
