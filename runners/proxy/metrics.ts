/**
 * The fault proxy's `GET /metrics`, through prom-client: faultline's own
 * counter families, Toxiproxy's byte counters under Toxiproxy's names and
 * labels (collectors/proxy.go, METRICS.md) so dashboards built for a real
 * Toxiproxy work unchanged, and the process metrics. The counters live in
 * the proxies (counters.ts); each scrape copies their current values into a
 * fresh registry, so the rendering stays a pure function of them.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { renderWithProcessMetrics } from '../../base/process-metrics.js';
import type { ProxyCounters } from '../faults/fault-injector.js';
import type { ProxyRegistry } from './registry.js';

/** Content type of the metrics text (exposition format 0.0.4). */
export const METRICS_CONTENT_TYPE = new Registry().contentType;

/** One proxy as the metrics see it: its counters and the addresses Toxiproxy labels bytes with. */
export interface ProxyMetricsInput extends ProxyCounters {
  listen: string;
  upstream: string;
  /**
   * Bytes written to the destination after the toxics, per direction
   * (Toxiproxy's "sent"); absent for a proxy that reports none, and then no
   * sent sample is invented from the bytes read.
   */
  sent?: { upstream: number; downstream: number };
}

type ToxicCounts = ProxyCounters['toxics'][string];

/** The proxies' counters as a prom-client registry (no process metrics). */
export function proxyMetricsRegistry(all: readonly ProxyMetricsInput[]): Registry {
  const registry = new Registry();
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers });

  const connections = counter('faultline_proxy_connections_total', 'Client connections accepted.', ['proxy']);
  const active = new Gauge({ name: 'faultline_proxy_active_connections', help: 'Client connections open now.', labelNames: ['proxy'], registers });
  const bytes = counter('faultline_proxy_bytes_total', 'Bytes read, by direction (Toxiproxy stream).', ['proxy', 'direction']);
  const toxicFamilies: [Counter, (t: ToxicCounts) => number | undefined][] = [
    [counter('faultline_toxic_touched_total', 'Connections (or HTTP requests) a toxic applied to.', ['proxy', 'toxic']), (t) => t.touched],
    [counter('faultline_toxic_resets_total', 'TCP resets a toxic sent.', ['proxy', 'toxic']), (t) => t.resets],
    [counter('faultline_toxic_requests_total', 'HTTP requests an http_* toxic affected.', ['proxy', 'toxic']), (t) => t.requests],
    [counter('faultline_toxic_unparsed_bytes_total', 'Bytes an http_* toxic passed through as not HTTP.', ['proxy', 'toxic']), (t) => t.unparsedBytes],
  ];
  // Toxiproxy's label set; its "received" is what a link read from its source, as bytesUpstream/Downstream count.
  const toxiproxyLabels = ['direction', 'listener', 'proxy', 'upstream'];
  const received = counter('toxiproxy_proxy_received_bytes_total', 'Bytes received from the source of a link, by direction (Toxiproxy).', toxiproxyLabels);
  const sent = counter('toxiproxy_proxy_sent_bytes_total', 'Bytes sent to the destination of a link after its toxics, by direction (Toxiproxy).', toxiproxyLabels);

  for (const c of all) {
    const proxy = c.proxy;
    // inc by the current total on a fresh registry sets it; 0 still makes the series appear.
    connections.inc({ proxy }, c.connections);
    active.set({ proxy }, c.activeConnections);
    bytes.inc({ proxy, direction: 'upstream' }, c.bytesUpstream);
    bytes.inc({ proxy, direction: 'downstream' }, c.bytesDownstream);
    for (const [toxic, t] of Object.entries(c.toxics)) {
      for (const [family, read] of toxicFamilies) family.inc({ proxy, toxic }, read(t) ?? 0);
    }
    const link = { listener: c.listen, proxy, upstream: c.upstream };
    received.inc({ direction: 'upstream', ...link }, c.bytesUpstream);
    received.inc({ direction: 'downstream', ...link }, c.bytesDownstream);
    if (c.sent) {
      sent.inc({ direction: 'upstream', ...link }, c.sent.upstream);
      sent.inc({ direction: 'downstream', ...link }, c.sent.downstream);
    }
  }
  return registry;
}

/** Render every proxy's counters as Prometheus text (no process metrics). */
export function renderMetrics(all: readonly ProxyMetricsInput[]): Promise<string> {
  return proxyMetricsRegistry(all).metrics();
}

/** What `GET /metrics` serves: every proxy of `registry` and the process metrics. */
export function scrapeMetrics(registry: ProxyRegistry): Promise<string> {
  const states = new Map(registry.list().map((p) => [p.name, p]));
  const sent = registry.sentBytes();
  const inputs = registry.allCounters().map((c): ProxyMetricsInput => ({
    ...c,
    listen: states.get(c.proxy)?.listen ?? '',
    upstream: states.get(c.proxy)?.upstream ?? '',
    sent: sent.get(c.proxy),
  }));
  return renderWithProcessMetrics(proxyMetricsRegistry(inputs));
}
