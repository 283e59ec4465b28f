/**
 * Which fault can falsify which claim, sized from the graph. Values are in
 * Toxiproxy's units (latency ms; reset_peer/timeout `timeout` ms; limit_data
 * `bytes`) and every choice says why in `sizing`, so a reviewer can check the
 * numbers against the traces.
 */
import type { GraphEdge } from '../graph/model.js';
import type { Claim } from '../claims/claim.js';
import type { ScenarioFault } from './plan.js';
import type { PlanContext } from './plan-context.js';
import { checkEntrypoints } from './claim-reach.js';

/** Latency injected = observed edge p99 × this (then raised to beat the threshold margin). */
export const LATENCY_FACTOR = 3;
/** Headroom over the gap between an entrypoint's observed p99 and its threshold. */
const MARGIN_HEADROOM = 1.25;
/** Toxiproxy latency above a minute is a hang, not a delay: the LLM bound uses the same cap. */
export const MAX_LATENCY_MS = 60_000;

/** The fault the rules choose for a claim on an edge. */
export function chooseFault(ctx: PlanContext, claim: Claim, edge: GraphEdge): ScenarioFault {
  const check = claim.check;
  switch (check.type) {
    case 'latency':
      return latencyFault(ctx, claim, edge, check.thresholdMs);
    case 'availability':
      return availabilityFault(edge);
    case 'recovery':
      return {
        toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {},
        sizing: `proxy disabled for the whole fault phase (${ctx.input.manifest.phases.faultMs} ms), then re-enabled; recovery must land within ${check.withinMs} ms`,
      };
    case 'at-most-once':
    case 'exactly-once':
      return {
        toxic: 'limit_data', stream: 'downstream', toxicity: perConnection(edge, 0.5), attributes: { bytes: 1 },
        sizing: `responses from ${edge.target} cut after 1 byte on ${share(edge, 0.5)} connections: the effect happens, the caller never sees the answer and retries (observed amplification ${edge.retries.amplification.toFixed(2)})`,
      };
    case 'no-lost-ack':
      return edge.mode === 'async'
        ? { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: `the queue edge ${edge.id} is down for the fault phase: acknowledged operations must still arrive once it is back` }
        : { toxic: 'reset_peer', stream: 'downstream', toxicity: perConnection(edge, 0.5), attributes: { timeout: resetAfter(edge) }, sizing: resetSizing(edge) };
    case 'conservation':
      return { toxic: 'reset_peer', stream: 'upstream', toxicity: perConnection(edge, 0.5), attributes: { timeout: resetAfter(edge) }, sizing: `writes on ${edge.id} reset mid-flight on ${share(edge, 0.5)} connections; ${resetSizing(edge)}` };
    case 'queue-order': {
      const l = roundTo10(Math.max(edge.latency.p99 * LATENCY_FACTOR, 50));
      return { toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: l, jitter: l }, sizing: `latency ${l} ms with jitter ${l} ms (observed p99 ${edge.latency.p99} ms × ${LATENCY_FACTOR}) so deliveries overtake each other` };
    }
    case 'linearizable':
      return { toxic: 'reset_peer', stream: 'downstream', toxicity: perConnection(edge, 0.3), attributes: { timeout: resetAfter(edge) }, sizing: `${resetSizing(edge)}; leaves operations indeterminate so the checker must consider both outcomes` };
  }
}

function latencyFault(ctx: PlanContext, claim: Claim, edge: GraphEdge, thresholdMs: number): ScenarioFault {
  const traced = checkEntrypoints(claim.check).flatMap((n) => ctx.epMap.get(n) ?? []);
  const epP99 = Math.max(0, ...ctx.input.snapshot.entrypoints.filter((t) => traced.includes(t.id)).map((t) => t.latency.p99));
  const fromEdge = edge.latency.p99 * LATENCY_FACTOR;
  const margin = Math.max(0, thresholdMs - epP99) * MARGIN_HEADROOM;
  const latency = Math.min(MAX_LATENCY_MS, roundTo10(Math.max(fromEdge, margin, 50)));
  const jitter = roundTo10(latency / 10);
  const epText = traced.length > 0 ? `entrypoint p99 ${epP99} ms` : 'entrypoint not seen in traces, p99 taken as 0';
  return {
    toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency, jitter },
    sizing: `latency = max(edge p99 ${edge.latency.p99} ms × ${LATENCY_FACTOR} = ${Math.round(fromEdge)} ms, (threshold ${thresholdMs} ms − ${epText}) × ${MARGIN_HEADROOM} = ${Math.round(margin)} ms, 50 ms floor) → ${latency} ms, jitter ${jitter} ms`,
  };
}

/**
 * HTTP edges get per-request 503s (a faultline-proxy toxic, precise error
 * rate); synchronous edges without timeout evidence get Toxiproxy's
 * `timeout` (does the caller give up?); asynchronous ones go down; the rest
 * get connection resets.
 */
function availabilityFault(edge: GraphEdge): ScenarioFault {
  if (edge.mode === 'async') {
    return { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: `${edge.id} is asynchronous: the broker edge is down for the fault phase` };
  }
  if (edge.protocol === 'http') {
    return { toxic: 'http_error', stream: 'downstream', toxicity: 0.5, attributes: { status: 503 }, sizing: `half the HTTP requests on ${edge.id} answer 503 (observed error rate ${(edge.errorRate * 100).toFixed(1)}%)` };
  }
  if (edge.timeout.evidence === 'none') {
    const t = roundTo10(Math.max(edge.latency.p99 * 10, 1000));
    return { toxic: 'timeout', stream: 'upstream', toxicity: perConnection(edge, 0.5), attributes: { timeout: t }, sizing: `no timeout evidence on ${edge.id}: ${share(edge, 0.5)} connections stall and close after ${t} ms (10× observed p99 ${edge.latency.p99} ms, 1 s floor)` };
  }
  return { toxic: 'reset_peer', stream: 'downstream', toxicity: perConnection(edge, 0.5), attributes: { timeout: resetAfter(edge) }, sizing: resetSizing(edge) };
}

/** Reset after about the median call time, so the request is in flight when the connection dies. */
function resetAfter(edge: GraphEdge): number {
  return Math.max(0, Math.round(edge.latency.p50));
}

function resetSizing(edge: GraphEdge): string {
  return `connections on ${edge.id} reset ${resetAfter(edge)} ms in (observed p50 ${edge.latency.p50} ms) on the affected fraction`;
}

/**
 * Toxiproxy draws toxicity once per connection. HTTP and RPC clients spread
 * calls over pools of connections, so a fraction affects about that share of
 * calls; a database, cache or broker client holds one or a few long-lived
 * connections, where a fraction only decides whether the fault lands at all.
 * Those edges get the whole connection set.
 */
function perConnection(edge: GraphEdge, fraction: number): number {
  return edge.protocol === 'http' || edge.protocol === 'rpc' ? fraction : 1;
}

function share(edge: GraphEdge, fraction: number): string {
  return perConnection(edge, fraction) === 1 ? 'all (few, long-lived)' : fraction === 0.5 ? 'half the' : `${Math.round(fraction * 100)}% of the`;
}

function roundTo10(n: number): number {
  return Math.ceil(n / 10) * 10;
}
