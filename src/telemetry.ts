/**
 * faultline's own traces: the OpenTelemetry Node SDK exporting over
 * OTLP/HTTP to `config.otelEndpoint` (the OTEL_EXPORTER_OTLP_ENDPOINT
 * convention: `<endpoint>/v1/traces`). Off unless an endpoint is configured.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** A started telemetry pipeline. */
export interface Telemetry {
  readonly enabled: boolean;
  /** Flush and stop exporting. */
  shutdown(): Promise<void>;
}

/** Start self-telemetry when `endpoint` is set; a no-op otherwise. */
export function startTelemetry(endpoint: string | undefined, serviceName = 'faultline'): Telemetry {
  if (!endpoint) return { enabled: false, shutdown: async () => {} };
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: '0.1.0' }),
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [new HttpInstrumentation()],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
