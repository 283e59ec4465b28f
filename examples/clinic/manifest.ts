/**
 * The manifest of a running clinic system: faultline.yaml exactly as its
 * team wrote it, with the deployment's addresses replaced by the ports this
 * run picked — service URLs by service name, each proxy's listen and
 * upstream by proxy name, the Toxiproxy URL — then validated by faultline's
 * own manifest loader. Nothing else in the file changes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { fail } from '../../base/errors.js';
import type { Manifest } from '../../generators/manifest.js';
import { validateManifest } from '../../generators/manifest-loader.js';
import { CLINIC_SERVICES, type ClinicService } from './topology.js';

/** Directory of faultline.yaml. */
export const CLINIC_DIR = dirname(fileURLToPath(import.meta.url));

/** Where the running system can be reached. */
export interface ClinicAddresses {
  /** Base URL of each service, e.g. `http://127.0.0.1:41234`. */
  services: Record<ClinicService, string>;
  toxiproxyUrl: string;
  /** Each proxy's bound `host:port` and its real upstream `host:port`, by proxy name. */
  proxies: Record<string, { listen: string; upstream: string }>;
}

/** `http://<service>[:port]` at the start of a string, for a service of this system. */
const SERVICE_URL = new RegExp(`^https?://(${CLINIC_SERVICES.map((s) => s.replace(/[-]/g, '\\-')).join('|')})(:\\d+)?(?=/|$)`);

function rewrite(value: unknown, services: Record<ClinicService, string>): unknown {
  if (typeof value === 'string') return value.replace(SERVICE_URL, (_m, name: ClinicService) => services[name]);
  if (Array.isArray(value)) return value.map((v) => rewrite(v, services));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, services)]));
  return value;
}

/** The manifest document of faultline.yaml pointed at `a`. */
export function clinicManifestDocument(a: ClinicAddresses): Record<string, unknown> {
  const doc = parse(readFileSync(join(CLINIC_DIR, 'faultline.yaml'), 'utf8')) as Record<string, unknown>;
  const out = rewrite(doc, a.services) as Record<string, unknown>;
  out.toxiproxy = { url: a.toxiproxyUrl };
  out.proxies = (out.proxies as { name: string }[]).map((p) => {
    const actual = a.proxies[p.name];
    if (!actual) throw fail('INTERNAL', `faultline.yaml names proxy ${p.name}, which the clinic launcher did not create`);
    return { ...p, listen: actual.listen, upstream: actual.upstream };
  });
  return out;
}

/** The validated manifest for a running system. */
export function clinicManifest(a: ClinicAddresses): Manifest {
  return validateManifest(clinicManifestDocument(a), { baseDir: CLINIC_DIR });
}
