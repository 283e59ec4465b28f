/**
 * faultline's OTLP/HTTP receiver (ingest/otlp-receiver.ts) listening on its
 * own, for commands that need spans pushed to them: `faultline collect`,
 * `plan` and `run` with `traces: {type: otlp}`, and a worker given
 * `--otlp-port`. `faultline serve` mounts the same receiver in its API.
 */
import { fail } from '../../base/errors.js';
import { buildReceiverApp } from '../../ingest/otlp-receiver.js';
import type { SpanStore } from '../../ingest/span-store.js';
import type { Config } from '../config.js';

/** A listening receiver. */
export interface OtlpListener {
  /** Base URL to give OTEL_EXPORTER_OTLP_ENDPOINT (spans go to `<url>/v1/traces`). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where and how the receiver listens. */
export interface OtlpListenOptions {
  host: string;
  port: number;
  store: SpanStore;
  limits: Pick<Config['api'], 'otlpBodyLimitBytes'> & Pick<Config['ingest'], 'queueCapacity'>
    & Partial<Pick<Config['api'], 'headersTimeoutMs' | 'requestTimeoutMs'> & Pick<Config['ingest'], 'maxTextLength'>>;
}

/** Start the receiver; a taken port is PORT_IN_USE naming it. */
export async function listenOtlp(o: OtlpListenOptions): Promise<OtlpListener> {
  const { otlpBodyLimitBytes, queueCapacity, headersTimeoutMs, requestTimeoutMs, maxTextLength } = o.limits;
  const app = buildReceiverApp({ store: o.store, bodyLimitBytes: otlpBodyLimitBytes, queueCapacity, headersTimeoutMs, requestTimeoutMs, maxTextLength });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (err) {
    await app.close().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw fail('PORT_IN_USE', `cannot receive OTLP on ${o.host}:${o.port}: port ${o.port} is already in use — is \`faultline serve\` or another collector running? pick another with --otlp-port`, { port: o.port }, err);
    }
    throw fail('BAD_INPUT', `cannot receive OTLP on ${o.host}:${o.port}: ${(err as Error).message}`, { port: o.port }, err);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const shownHost = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;
  return { url: `http://${shownHost}:${port}`, port, close: () => app.close() };
}
