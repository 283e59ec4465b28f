/**
 * The service's metrics for `GET /metrics`, through prom-client: faultline's
 * own counters, in one registry per app so tests and embedded servers never
 * share counts, served with the process's GC, event-loop and resource
 * metrics (base/process-metrics.ts). Text exposition format 0.0.4.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { renderWithProcessMetrics } from '../../base/process-metrics.js';

/** The service's own metrics. */
export interface ServiceMetrics {
  /** Content type of `render()`'s text (`text/plain; version=0.0.4; charset=utf-8`). */
  readonly contentType: string;
  /** These metrics and the process's, as exposition text. */
  render(): Promise<string>;
  runs: Counter<'status'>;
  scenarios: Counter<'verdict'>;
  sweeps: Counter<'status'>;
  sweepDuration: Histogram;
  ingest?: Gauge;
}

/**
 * Create the service metrics (one set per app). `ingestSpans` reads the
 * span store's count at scrape time, when there is a store.
 */
export function createServiceMetrics(ingestSpans?: () => number): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    contentType: registry.contentType,
    render: () => renderWithProcessMetrics(registry),
    runs: new Counter({ name: 'faultline_runs_total', help: 'Runs finished, by status.', labelNames: ['status'], registers }),
    scenarios: new Counter({ name: 'faultline_scenarios_total', help: 'Scenarios finished, by verdict.', labelNames: ['verdict'], registers }),
    sweeps: new Counter({ name: 'faultline_sweeps_total', help: 'Sweeps finished, by status.', labelNames: ['status'], registers }),
    sweepDuration: new Histogram({ name: 'faultline_sweep_duration_seconds', help: 'Wall-clock duration of sweeps.', buckets: [1, 10, 60, 300, 900, 1800, 3600, 7200], registers }),
    ...(ingestSpans
      ? {
          ingest: new Gauge({
            name: 'faultline_ingest_spans',
            help: 'Spans held by the OTLP receiver store.',
            registers,
            collect() {
              this.set(ingestSpans());
            },
          }),
        }
      : {}),
  };
}
