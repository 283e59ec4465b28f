/**
 * Counters in the Prometheus text exposition format (version 0.0.4), served
 * at `GET /metrics`. Pure: counters in, text out.
 */
import type { ProxyCounters } from '../faults/fault-injector.js';

/** Escape a label value per the exposition format (backslash, quote, newline). */
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Render every proxy's counters as Prometheus text. */
export function renderMetrics(all: readonly ProxyCounters[]): string {
  const lines: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}{${labels}} ${value}`);
  };
  const per = (f: (c: ProxyCounters) => number): [string, number][] => all.map((c) => [`proxy="${label(c.proxy)}"`, f(c)]);
  family('faultline_proxy_connections_total', 'counter', 'Client connections accepted.', per((c) => c.connections));
  family('faultline_proxy_active_connections', 'gauge', 'Client connections open now.', per((c) => c.activeConnections));
  family('faultline_proxy_bytes_total', 'counter', 'Bytes read, by direction (Toxiproxy stream).', [
    ...all.map((c): [string, number] => [`proxy="${label(c.proxy)}",direction="upstream"`, c.bytesUpstream]),
    ...all.map((c): [string, number] => [`proxy="${label(c.proxy)}",direction="downstream"`, c.bytesDownstream]),
  ]);
  const toxicSamples = (f: (t: ProxyCounters['toxics'][string]) => number | undefined): [string, number][] =>
    all.flatMap((c) =>
      Object.entries(c.toxics).map(([name, t]): [string, number] => [`proxy="${label(c.proxy)}",toxic="${label(name)}"`, f(t) ?? 0]),
    );
  family('faultline_toxic_touched_total', 'counter', 'Connections (or HTTP requests) a toxic applied to.', toxicSamples((t) => t.touched));
  family('faultline_toxic_resets_total', 'counter', 'TCP resets a toxic sent.', toxicSamples((t) => t.resets));
  family('faultline_toxic_requests_total', 'counter', 'HTTP requests an http_* toxic affected.', toxicSamples((t) => t.requests));
  family('faultline_toxic_unparsed_bytes_total', 'counter', 'Bytes an http_* toxic passed through as not HTTP.', toxicSamples((t) => t.unparsedBytes));
  return lines.join('\n') + '\n';
}
