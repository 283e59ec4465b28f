import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../support/fixtures.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: string[];
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const manifestPath = 'examples/demo/faultline.yaml';
const manifest = parse(readFileSync(join(repoRoot, manifestPath), 'utf8')) as {
  toxiproxy: { url: string };
  traces: { type: string };
  proxies: { name: string; listen: string; upstream: string }[];
  entrypoints: { url: string }[];
  probes: { url?: string }[];
  claimsFile?: string;
};
const toxiproxyConfig = JSON.parse(readFileSync(join(repoRoot, 'docker/toxiproxy.json'), 'utf8')) as { name: string; listen: string; upstream: string }[];

/** Ports a service listens on inside the network: expose, the container side of ports, PORT. */
function listening(name: string): Set<number> {
  const s = services[name];
  const ports = new Set<number>();
  for (const p of s.expose ?? []) ports.add(Number(p));
  for (const p of s.ports ?? []) ports.add(Number(String(p).split(':').pop()));
  if (s.environment?.PORT) ports.add(Number(s.environment.PORT));
  return ports;
}

/** `scheme://host:port` references in a string (URLs with templates included). */
function urlsIn(text: string): { host: string; port: number }[] {
  return [...text.matchAll(/\b(?:https?|redis):\/\/([a-z][a-z0-9-]*):(\d+)/g)].map((m) => ({ host: m[1], port: Number(m[2]) }));
}

describe('docker-compose.yml', () => {
  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(['faultline', 'gateway', 'inventory', 'jaeger', 'notifications', 'orders', 'payments', 'redis', 'toxiproxy', 'worker']);
    expect(services.jaeger.environment?.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(services.jaeger.ports).toEqual(expect.arrayContaining(['16686:16686', '4318:4318']));
    expect(services.toxiproxy.image).toMatch(/^ghcr\.io\/shopify\/toxiproxy:/);
    expect(listening('toxiproxy').has(8474)).toBe(true);
    expect(services.faultline.command).toEqual(['serve', '--manifest', manifestPath]);
    expect(services.worker.command).toEqual(['worker']);
  });

  it('gives the API and the worker Redis, Toxiproxy and an OTLP endpoint', () => {
    for (const name of ['faultline', 'worker']) {
      const env = services[name].environment ?? {};
      expect(env.REDIS_URL, name).toBe('redis://redis:6379');
      expect(env.TOXIPROXY_URL, name).toBe('http://toxiproxy:8474');
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe('http://jaeger:4318');
    }
    expect(Number(services.faultline.environment?.FAULTLINE_PORT)).toBe(4318);
    expect(services.faultline.ports).toEqual(['8787:4318']);
  });

  it('points every URL in the environment at a compose service on a port it listens on', () => {
    const redisPort = 6379;
    const known = (host: string) => (host === 'redis' ? new Set([redisPort]) : host === 'jaeger' ? new Set([4318, 16686]) : listening(host));
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        // The public URL is what people on the host use: the published port.
        if (key === 'FAULTLINE_PUBLIC_URL') {
          expect(value).toBe(`http://localhost:${services.faultline.ports![0].split(':')[0]}`);
          continue;
        }
        for (const { host, port } of urlsIn(String(value))) {
          expect(services[host], `${name}.${key} → ${host}`).toBeDefined();
          expect(known(host).has(port), `${name}.${key} → ${host}:${port}`).toBe(true);
        }
      }
      for (const dep of s.depends_on ?? []) expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
    }
  });

  it('runs the demo services from files in the repository', () => {
    for (const name of ['gateway', 'orders', 'payments', 'inventory', 'notifications']) {
      const s = services[name];
      expect(s.entrypoint).toEqual(['node', '--import', 'tsx']);
      expect(existsSync(join(repoRoot, s.command![0])), s.command![0]).toBe(true);
      expect(s.environment?.HOST).toBe('0.0.0.0');
      expect(s.environment?.OTLP_ENDPOINT).toBe('http://faultline:4318');
    }
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0];
        if (src.startsWith('./')) expect(existsSync(join(repoRoot, src)), `${name}: ${src}`).toBe(true);
      }
    }
    expect(existsSync(join(repoRoot, 'Dockerfile'))).toBe(true);
  });
});

describe('the demo manifest under compose', () => {
  it('exists, with its claims file beside it', () => {
    expect(existsSync(join(repoRoot, manifestPath))).toBe(true);
    if (manifest.claimsFile) expect(existsSync(join(repoRoot, 'examples/demo', manifest.claimsFile))).toBe(true);
  });

  it('talks to the compose Toxiproxy, and its proxies match the Toxiproxy config', () => {
    const url = new URL(manifest.toxiproxy.url);
    expect(services[url.hostname]).toBeDefined();
    expect(listening(url.hostname).has(Number(url.port))).toBe(true);
    expect(toxiproxyConfig.map(({ name, listen, upstream }) => ({ name, listen, upstream }))).toEqual(manifest.proxies.map(({ name, listen, upstream }) => ({ name, listen, upstream })));
  });

  it('has proxy upstreams on compose services and listen ports the toxiproxy container exposes', () => {
    for (const p of manifest.proxies) {
      const [host, port] = p.upstream.split(':');
      expect(services[host], p.name).toBeDefined();
      expect(host === 'redis' ? Number(port) === 6379 : listening(host).has(Number(port)), p.upstream).toBe(true);
      expect(listening('toxiproxy').has(Number(p.listen.split(':')[1])), p.listen).toBe(true);
    }
  });

  it('routes every demo dependency through a proxy the manifest knows', () => {
    const proxyPorts = new Set(manifest.proxies.map((p) => Number(p.listen.split(':')[1])));
    for (const name of ['gateway', 'orders', 'inventory', 'notifications']) {
      for (const [key, value] of Object.entries(services[name].environment ?? {})) {
        if (!/_URL$/.test(key)) continue;
        for (const { host, port } of urlsIn(value)) {
          expect(host, `${name}.${key}`).toBe('toxiproxy');
          expect(proxyPorts.has(port), `${name}.${key}`).toBe(true);
        }
      }
    }
  });

  it('sends workload and probes to compose services on their ports', () => {
    for (const u of [...manifest.entrypoints.map((e) => e.url), ...manifest.probes.flatMap((p) => (p.url ? [p.url] : []))]) {
      for (const { host, port } of urlsIn(u)) {
        expect(services[host], u).toBeDefined();
        expect(listening(host).has(port), u).toBe(true);
      }
    }
    // traces: otlp → the services must export to faultline's receiver.
    expect(manifest.traces.type).toBe('otlp');
  });
});
