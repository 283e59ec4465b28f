/**
 * The process shell every demo service shares: read its environment, start
 * tracing first (before any request can be served), serve its routes on
 * 127.0.0.1 (or `HOST`), tell the launcher it is ready over the IPC channel, and shut
 * down cleanly on SIGTERM — or when the launcher's IPC channel closes, so a
 * crashed launcher never leaves a service behind.
 */
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { parseBugs, type Bug } from '../bugs.js';
import { startTelemetry } from './telemetry.js';
import { createJsonServer, type Route } from './http-server.js';

/** What a service's setup receives, for an example system whose bugs are `B`. */
export interface ServiceContextOf<B extends string> {
  tracer: Tracer;
  bugs: ReadonlySet<B>;
  /** A required environment variable (the launcher sets them all). */
  env(name: string): string;
  log(line: string): void;
}

/** What a demo shop service's setup receives. */
export type ServiceContext = ServiceContextOf<Bug>;

/** What a service's setup returns. */
export interface ServiceParts {
  routes: Route[];
  /** Release clients (Redis, queues) on shutdown. */
  close?(): Promise<void>;
}

/** Run one demo shop service process until SIGTERM (its bugs come from `DEMO_BUGS`). */
export function runService(name: string, setup: (ctx: ServiceContext) => Promise<ServiceParts>): Promise<void> {
  return runServiceProcess(name, new Set(parseBugs(process.env.DEMO_BUGS)), setup);
}

/** Run one service process of any example system until SIGTERM, with the bugs its launcher switched on. */
export async function runServiceProcess<B extends string>(name: string, bugs: ReadonlySet<B>, setup: (ctx: ServiceContextOf<B>) => Promise<ServiceParts>): Promise<void> {
  const env = (key: string): string => {
    const v = process.env[key];
    if (v === undefined || v === '') throw new Error(`${name}: environment variable ${key} is required`);
    return v;
  };
  const telemetry = startTelemetry(name, process.env.OTLP_ENDPOINT || undefined);
  const log = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  const parts = await setup({ tracer: telemetry.tracer, bugs, env, log });
  const server = createJsonServer(telemetry.tracer, [
    { method: 'GET', route: '/healthz', handle: () => ({ status: 200, body: { service: name, ok: true, pid: process.pid } }) },
    ...parts.routes,
  ]);
  // Loopback unless told otherwise (HOST=0.0.0.0 in a container).
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
