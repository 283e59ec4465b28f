/**
 * prom-client's default metrics (process CPU, memory, file descriptors, GC,
 * event-loop lag, Node version) in one registry per process. Both `/metrics`
 * endpoints (the API's and the fault proxy's) serve it beside their own
 * counters. Here, below both, because they can run in the same process
 * (`faultline serve` starts the proxy in-process) and the metrics describe
 * the process, not either server.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

let registry: Registry | undefined;

/**
 * The process registry, created on first use. Once per process on purpose:
 * each collectDefaultMetrics call adds a GC observer and an event-loop
 * monitor that are never removed, so one per server would leak in tests
 * that start hundreds of them.
 */
export function processMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}

/** `own` and the process metrics as exposition text (format 0.0.4). */
export function renderWithProcessMetrics(own: Registry): Promise<string> {
  return Registry.merge([own, processMetrics()]).metrics();
}
