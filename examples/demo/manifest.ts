/**
 * The demo's manifest, built from the addresses it actually started on and
 * validated by faultline's own manifest loader, so `faultline demo` hands the
 * run exactly what a user's `faultline.yaml` would give it.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, ManifestProxy } from '../../generators/manifest.js';
import { validateManifest } from '../../generators/manifest-loader.js';

/** Where the running demo can be reached. */
export interface DemoAddresses {
  gatewayUrl: string;
  /** Base URL of each service's debug probe, by service. */
  serviceUrls: { orders: string; payments: string; inventory: string; notifications: string };
  toxiproxyUrl: string;
  proxies: ManifestProxy[];
}

/** Directory of claims.yaml (the manifest's `claimsFile` is relative to it). */
export const DEMO_DIR = dirname(fileURLToPath(import.meta.url));

const SKUS = 'sku-1 sku-2 sku-3 sku-4 sku-5';

/** The manifest document (as it would be written in faultline.yaml). */
export function demoManifestDocument(a: DemoAddresses): Record<string, unknown> {
  return {
    version: 1,
    system: { name: 'faultline-demo-shop', description: 'gateway, orders, payments, inventory and notifications, with planted bugs' },
    traces: { type: 'otlp' },
    toxiproxy: { url: a.toxiproxyUrl },
    proxies: a.proxies,
    entrypoints: [
      {
        name: 'checkout',
        method: 'POST',
        url: `${a.gatewayUrl}/checkout`,
        body: { sku: `{{pick ${SKUS}}}`, qty: '{{int 1 3}}' },
        idempotencyHeader: 'Idempotency-Key',
        weight: 2,
        timeoutMs: 5000,
        traceEntrypoint: 'gateway POST /checkout',
      },
      { name: 'stock', method: 'GET', url: `${a.gatewayUrl}/stock/{{pick ${SKUS}}}`, weight: 2, timeoutMs: 5000, traceEntrypoint: 'gateway GET /stock/{sku}' },
      { name: 'order', method: 'GET', url: `${a.gatewayUrl}/orders/ord-{{int 1 20}}`, weight: 1, timeoutMs: 5000, traceEntrypoint: 'gateway GET /orders/{id}' },
    ],
    probes: [
      { name: 'orders', type: 'http', url: `${a.serviceUrls.orders}/debug/orders`, service: 'orders' },
      { name: 'charges', type: 'http', url: `${a.serviceUrls.payments}/debug/charges`, service: 'payments' },
      { name: 'stock', type: 'http', url: `${a.serviceUrls.inventory}/debug/stock`, service: 'inventory' },
      { name: 'emails', type: 'http', url: `${a.serviceUrls.notifications}/debug/emails`, service: 'notifications' },
    ],
    claimsFile: 'claims.yaml',
    workload: { ratePerSec: 20, seed: 1 },
    // Short phases: the demo is for a quick first run, not a soak test.
    phases: { baselineMs: 2000, faultMs: 4000, recoveryMs: 5000 },
    // Restore the shop between scenarios, as a restart would.
    hooks: { beforeScenario: [{ method: 'POST', url: `${a.serviceUrls.orders}/debug/reset` }] },
  };
}

/** The validated manifest for a running demo (MANIFEST_INVALID if this file and the schema disagree). */
export function buildDemoManifest(a: DemoAddresses): Manifest {
  return validateManifest(demoManifestDocument(a), { baseDir: DEMO_DIR });
}
