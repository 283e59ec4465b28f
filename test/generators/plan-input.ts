/** A PlanInput for the sample system, the way createPlan builds it, and manifest variants for plan tests. */
import { inferClaims } from '../../generators/claim-inference.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import type { Manifest } from '../../generators/manifest.js';
import type { PlanInput } from '../../generators/plan-generator.js';
import { manifestYaml, sampleRanking, sampleSnapshot } from './sample-system.js';

/** Sample input; `manifestText` swaps the manifest. */
export function sampleInput(manifestText = manifestYaml): PlanInput {
  const manifest: Manifest = parseManifest(manifestText, { baseDir: '.' });
  const snapshot = sampleSnapshot();
  const ranking = sampleRanking();
  const inferred = inferClaims(snapshot, ranking, manifest.claims, manifest.entrypoints, { probes: manifest.probes });
  return { manifest, snapshot, ranking, claims: [...manifest.claims, ...inferred.claims], missing: inferred.missing, now: new Date('2026-02-03T04:05:06.000Z') };
}

/** The sample manifest plus a proxy on api->orders: the edge into the orders probe's service. */
export function withApiProxy(text = manifestYaml): string {
  const proxy = '  - name: api_to_orders\n    listen: 127.0.0.1:21004\n    upstream: 127.0.0.1:9001\n    edge: { from: api, to: orders }\n';
  return text.replace('proxies:\n', `proxies:\n${proxy}`);
}

/** User claims the sample's inference would otherwise only suggest, adopted into the manifest. */
export const ADOPTED = {
  checkoutErrors: { id: 'checkout_errors_under_4pct', text: 'error rate of POST /checkout stays under 4% during the fault', category: 'availability', check: '{ type: availability, entrypoint: checkout, maxErrorRate: 0.04, phase: fault }' },
  stockP99: { id: 'stock_p99_under_20ms', text: 'p99 of GET /stock stays under 20 ms during the fault', category: 'performance-slo', check: '{ type: latency, entrypoint: stock, percentile: 99, thresholdMs: 20, phase: fault }' },
} as const;

/** Append user claims (the sample manifest ends with its claims list). */
export function withClaims(text: string, ...claims: { id: string; text: string; category: string; check: string }[]): string {
  return text + claims.map((c) => `  - id: ${c.id}\n    text: ${c.text}\n    category: ${c.category}\n    check: ${c.check}\n`).join('');
}
