/**
 * A tiny Prometheus registry: counters, gauges and histograms with labels,
 * rendered in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Small
 * enough that a client library would be more code to configure than this.
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  // Label values escape backslash, double quote and newline (exposition format).
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${keys.map((k) => `${k}="${esc(labels[k])}"`).join(',')}}`;
}

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

/** A monotonically increasing counter. */
export class Counter implements Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k} ${v}`);
  }
}

/** A value read at scrape time. */
export class Gauge implements Metric {
  readonly type = 'gauge';
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}
  lines(): string[] {
    return [`${this.name} ${this.read()}`];
  }
}

/** A histogram with fixed buckets (upper bounds, seconds or whatever unit the name says). */
export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count += 1;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i] += 1;
    });
  }
  lines(): string[] {
    return [
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

/** A set of metrics rendered together. */
export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  /** The exposition text (content type `text/plain; version=0.0.4`). */
  render(): string {
    return this.metrics.map((m) => [`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.lines()].join('\n')).join('\n') + '\n';
  }
}

/** The service's own metrics. */
export interface ServiceMetrics {
  registry: Registry;
  runs: Counter;
  scenarios: Counter;
  sweeps: Counter;
  sweepDuration: Histogram;
  ingest?: Gauge;
}

/**
 * Create the service metrics (one set per app). `ingestSpans` reads the
 * span store's count at scrape time, when there is a store.
 */
export function createServiceMetrics(ingestSpans?: () => number): ServiceMetrics {
  const registry = new Registry();
  return {
    registry,
    runs: registry.add(new Counter('faultline_runs_total', 'Runs finished, by status.')),
    scenarios: registry.add(new Counter('faultline_scenarios_total', 'Scenarios finished, by verdict.')),
    sweeps: registry.add(new Counter('faultline_sweeps_total', 'Sweeps finished, by status.')),
    sweepDuration: registry.add(new Histogram('faultline_sweep_duration_seconds', 'Wall-clock duration of sweeps.', [1, 10, 60, 300, 900, 1800, 3600, 7200])),
    ...(ingestSpans ? { ingest: registry.add(new Gauge('faultline_ingest_spans', 'Spans held by the OTLP receiver store.', ingestSpans)) } : {}),
  };
}
