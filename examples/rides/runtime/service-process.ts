/**
 * The process shell every rides service shares (the demo shop's, with this
 * system's bug switch `RIDES_BUGS`): read the environment, start tracing
 * before any request is served, serve the routes on 127.0.0.1 (or `HOST`),
 * report the port to the launcher over IPC, and shut down cleanly on
 * SIGTERM or when the launcher's IPC channel closes.
 */
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { startTelemetry } from '../../demo/runtime/telemetry.js';
import { createJsonServer, type Route } from '../../demo/runtime/http-server.js';
import { parseRidesBugs, type RidesBug } from '../bugs.js';

/** What a service's setup receives. */
export interface RidesServiceContext {
  tracer: Tracer;
  bugs: ReadonlySet<RidesBug>;
  /** A required environment variable (the launcher sets them all). */
  env(name: string): string;
  log(line: string): void;
}

/** What a service's setup returns. */
export interface RidesServiceParts {
  routes: Route[];
  /** Release clients (Redis, pools) on shutdown. */
  close?(): Promise<void>;
}

/** Run one service process until SIGTERM. */
export async function runRidesService(name: string, setup: (ctx: RidesServiceContext) => Promise<RidesServiceParts>): Promise<void> {
  const env = (key: string): string => {
    const v = process.env[key];
    if (v === undefined || v === '') throw new Error(`${name}: environment variable ${key} is required`);
    return v;
  };
  const telemetry = startTelemetry(name, process.env.OTLP_ENDPOINT || undefined);
  const log = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  const parts = await setup({ tracer: telemetry.tracer, bugs: new Set(parseRidesBugs(process.env.RIDES_BUGS)), env, log });
  const server = createJsonServer(telemetry.tracer, [
    { method: 'GET', route: '/healthz', handle: () => ({ status: 200, body: { service: name, ok: true, pid: process.pid } }) },
    ...parts.routes,
  ]);
  const host = process.env.HOST || '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), host, resolve));
  const port = (server.address() as AddressInfo).port;
  log(`listening on ${host}:${port}`);
  process.send?.({ type: 'ready', service: name, port });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await parts.close?.().catch(() => undefined);
    // Flush buffered spans so the last requests' traces are not lost.
    await telemetry.shutdown().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
}
