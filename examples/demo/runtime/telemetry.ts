/**
 * Tracing for one demo service: a NodeSDK with an OTLP/HTTP exporter and a
 * short batch delay, so spans reach faultline's receiver within a fraction of
 * a second. No auto-instrumentation: ESM auto-instrumentation depends on
 * loader hooks and module load order, while the demo must emit the same
 * spans every run, so every span is created by hand (runtime/http-*.ts,
 * runtime/cache.ts, runtime/email-queue.ts).
 */
import { trace, type Tracer } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';

/** The started SDK and the service's tracer. */
export interface Telemetry {
  tracer: Tracer;
  /** Export what is buffered and stop (called on SIGTERM). */
  shutdown(): Promise<void>;
}

/**
 * Start tracing for `serviceName`, exporting to `${endpoint}/v1/traces`
 * (the OTLP/HTTP signal path of the OTLP specification). Without an
 * endpoint spans are created but not exported.
 */
export function startTelemetry(serviceName: string, endpoint: string | undefined): Telemetry {
  const spanProcessors = endpoint
    ? [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), {
          // Short delay: tests wait for spans, and the demo's volume is small.
          scheduledDelayMillis: 100,
          maxExportBatchSize: 512,
        }),
      ]
    : [];
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    autoDetectResources: false,
    spanProcessors,
    instrumentations: [],
  });
  sdk.start();
  return {
    tracer: trace.getTracer('faultline-demo', '0.1.0'),
    shutdown: () => sdk.shutdown(),
  };
}
