/**
 * What the example systems' own tests share: reading a probe of the
 * system's manifest, waiting for a condition, faulting one proxy through
 * the Toxiproxy HTTP API, and filling an entrypoint's templates.
 */
import { randomUUID } from 'node:crypto';
import { Toxiproxy } from 'toxiproxy-node-client';
import { expect } from 'vitest';
import type { Manifest } from '../../generators/manifest.js';

/** What these helpers need of a running example system. */
interface System {
  manifest: Manifest;
  proxyUrl: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The JSON of an http probe the manifest declares. */
export async function probe<T>(sys: Pick<System, 'manifest'>, name: string): Promise<T> {
  const p = sys.manifest.probes.find((x) => x.name === name);
  if (!p || p.type !== 'http') throw new Error(`no http probe ${name}`);
  return (await (await fetch(p.url, { signal: AbortSignal.timeout(15_000) })).json()) as T;
}

/** Read until `ok` holds or the time is up; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(200);
  }
}

/** Run `work` with a toxic on one proxy, through the Toxiproxy HTTP API (`POST /proxies/{name}/toxics`). */
export async function withToxic<T>(sys: Pick<System, 'proxyUrl'>, proxyName: string, toxic: { type: string; stream: 'upstream' | 'downstream'; attributes: Record<string, number> }, work: () => Promise<T>): Promise<T> {
  const name = `test-${toxic.type}-${randomUUID().slice(0, 8)}`;
  const res = await fetch(`${sys.proxyUrl}/proxies/${proxyName}/toxics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, toxicity: 1, ...toxic }) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  try {
    return await work();
  } finally {
    await fetch(`${sys.proxyUrl}/proxies/${proxyName}/toxics/${name}`, { method: 'DELETE' });
  }
}

/** Run `work` with one proxy disabled (connections refused), enabled again afterwards. */
export async function withProxyDown<T>(sys: Pick<System, 'proxyUrl'>, proxyName: string, work: () => Promise<T>): Promise<T> {
  const proxy = await new Toxiproxy(sys.proxyUrl).get(proxyName);
  await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  try {
    return await work();
  } finally {
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  }
}

/** A request for an entrypoint with its templates filled by their first choice. */
export function render(manifest: Manifest, name: string): { url: string; init: RequestInit } {
  const e = manifest.entrypoints.find((x) => x.name === name);
  if (!e) throw new Error(`no entrypoint ${name}`);
  const fill = (s: string): string | number => {
    const whole = /^\{\{int (\d+) \d+\}\}$/.exec(s);
    if (whole) return Number(whole[1]);
    return s.replace(/\{\{pick (\S+)[^}]*\}\}/g, '$1').replace(/\{\{int (\d+) \d+\}\}/g, '$1').replace(/\{\{(key|uuid)\}\}/g, () => randomUUID());
  };
  const body = e.body === undefined ? undefined : Object.fromEntries(Object.entries(e.body as Record<string, string>).map(([k, v]) => [k, fill(v)]));
  const headers: Record<string, string> = { ...(body ? { 'content-type': 'application/json' } : {}), ...(e.idempotencyHeader ? { [e.idempotencyHeader]: randomUUID() } : {}) };
  return { url: String(fill(e.url)), init: { method: e.method, headers, ...(body ? { body: JSON.stringify(body) } : {}) } };
}
