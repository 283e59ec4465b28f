/**
 * pricing: fare quotes per zone, from a base fare plus the pickup time maps
 * estimates. When maps is slow or failing a quote uses the zone's typical
 * pickup time instead (`etaSource: fallback`): a quote is never worth a
 * failed page.
 *
 * Planted bug `crash-on-reset`: the maps call is a hand-rolled http.get
 * without an 'error' listener. A 5xx answer is handled, but any request
 * error — a reset or refused connection, or the call's own timeout
 * destroying the request — is an unhandled 'error' event, and Node.js
 * ends the process. Fixed: the call goes through the traced client, whose
 * failures are values, and falls back.
 */
import { request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { runRidesService } from '../runtime/service-process.js';
import { callPeer, type CallResult, type Peer } from '../../demo/runtime/http-client.js';
import { zoneNamed } from '../zones.js';

// Generous: a quote is not worth a crash (with the bug) or a fallback (fixed) because of one slow moment.
const MAPS_TIMEOUT_MS = 1000;

/** The bug: a promise around http.get that forgot the request's 'error' event. */
function callMapsUnguarded(tracer: Tracer, maps: Peer, path: string): Promise<CallResult> {
  const url = new URL(path, maps.baseUrl);
  const span = tracer.startSpan('GET /eta/{zone}', {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': 'GET', 'server.address': url.hostname, 'server.port': Number(url.port), 'peer.service': maps.service, 'url.full': url.href },
  });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        span.setAttribute('http.response.status_code', res.statusCode ?? 0);
        if ((res.statusCode ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
        span.end();
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = JSON.parse(text); } catch { /* keep the text */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.setTimeout(MAPS_TIMEOUT_MS, () => req.destroy());
    req.end();
  });
}

await runRidesService('pricing', async (ctx) => {
  const maps: Peer = { service: 'maps', baseUrl: ctx.env('MAPS_URL') };
  const crashes = ctx.bugs.has('crash-on-reset');

  /** The pickup estimate from maps, or undefined when maps gave none. */
  async function etaFromMaps(zone: string): Promise<number | undefined> {
    const path = `/eta/${encodeURIComponent(zone)}`;
    let out: CallResult;
    if (crashes) {
      out = await callMapsUnguarded(ctx.tracer, maps, path);
    } else {
      try {
        out = await callPeer(ctx.tracer, maps, { method: 'GET', path, route: '/eta/{zone}', timeoutMs: MAPS_TIMEOUT_MS });
      } catch {
        return undefined;
      }
    }
    const eta = (out.body as { etaSeconds?: unknown } | undefined)?.etaSeconds;
    return out.status === 200 && typeof eta === 'number' ? eta : undefined;
  }

  return {
    routes: [
      {
        method: 'GET',
        route: '/quotes/{zone}',
        async handle(req) {
          const name = req.params.zone;
          const zone = zoneNamed(name);
          if (!zone) return { status: 404, body: { error: `unknown zone ${name}` } };
          const fromMaps = await etaFromMaps(name);
          const etaSeconds = fromMaps ?? zone.typicalEtaSeconds;
          const fareCents = zone.baseFareCents + Math.round((etaSeconds / 60) * zone.perMinuteCents);
          return { status: 200, body: { zone: name, fareCents, etaSeconds, etaSource: fromMaps === undefined ? 'fallback' : 'maps' } };
        },
      },
    ],
  };
});
