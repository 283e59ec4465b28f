import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  pull_policy?: string;
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const manifestPath = 'examples/demo/faultline.yaml';
const manifest = parse(readFileSync(join(repoRoot, manifestPath), 'utf8')) as {
  toxiproxy: { url: string };
  traces: { type: string; url?: string; service?: string };
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
    // Jaeger v2 (the OpenTelemetry-collector-based all-in-one): OTLP gRPC and HTTP, UI and query API.
    expect(services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(services.jaeger.ports).toEqual(expect.arrayContaining(['16686:16686', '4317:4317', '4318:4318']));
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
    const known = (host: string) => (host === 'redis' ? new Set([redisPort]) : listening(host));
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
      for (const dep of Object.keys(s.depends_on ?? {})) expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
    }
  });

  it('runs the demo services from files in the repository', () => {
    for (const name of ['gateway', 'orders', 'payments', 'inventory', 'notifications']) {
      const s = services[name];
      expect(s.entrypoint).toEqual(['node', '--import', 'tsx']);
      expect(existsSync(join(repoRoot, s.command![0])), s.command![0]).toBe(true);
      expect(s.environment?.HOST).toBe('0.0.0.0');
      // Traces go to Jaeger, where the compose manifest reads them.
      expect(s.environment?.OTLP_ENDPOINT).toBe('http://jaeger:4318');
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
  });

  it("reads the traces from Jaeger's query API, where the demo services send them", () => {
    expect(manifest.traces.type).toBe('jaeger');
    const url = new URL(manifest.traces.url!);
    expect(url.hostname).toBe('jaeger');
    expect(url.port).toBe('16686');
    expect(listening('jaeger').has(16686)).toBe(true);
    // The workload's traces: they all enter through the service the manifest names.
    expect(services[manifest.traces.service!]).toBeDefined();
    expect(manifest.entrypoints.every((e) => urlsIn(e.url).every((u) => u.host === manifest.traces.service))).toBe(true);
  });
});

const FAULTLINE_IMAGE = 'faultline:local';
const FAULTLINE_SERVICES = ['faultline', 'worker', 'gateway', 'orders', 'payments', 'inventory', 'notifications'];

/**
 * Commands each image is known to hold, from its Dockerfile: redis ships
 * redis-cli; Toxiproxy's image is FROM scratch with only the server and
 * /toxiproxy-cli; Jaeger v2's is Alpine (busybox wget); ours is node:20-slim.
 */
const IMAGE_COMMANDS: [RegExp, string[]][] = [
  [/^redis:/, ['redis-cli']],
  [/^ghcr\.io\/shopify\/toxiproxy:/, ['/toxiproxy-cli']],
  [/^jaegertracing\/jaeger:2\./, ['wget']],
  [/^faultline:local$/, ['node']],
];
/** Ports an image listens on without compose naming them: Jaeger v2's healthcheckv2 extension. */
const IMAGE_PORTS: Record<string, number[]> = { jaeger: [13133] };

const healthcheck = (name: string): string[] => services[name].healthcheck?.test ?? [];

describe('docker-compose.yml: one build, health and start order', () => {
  it('builds the faultline image once and runs it for the API, the worker and the demo services', () => {
    expect(Object.entries(services).filter(([, s]) => s.build !== undefined).map(([n]) => n)).toEqual(['faultline']);
    for (const name of FAULTLINE_SERVICES) expect(services[name].image, name).toBe(FAULTLINE_IMAGE);
    // The others never pull it: it exists only once compose has built it.
    for (const name of FAULTLINE_SERVICES.filter((n) => n !== 'faultline')) expect(services[name].pull_policy, name).toBe('never');
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-slim$/m);
  });

  it('gives every service but the worker a healthcheck, with a command its image has', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'worker') continue; // no port to ask; nothing waits for it
      const test = healthcheck(name);
      expect(test[0], name).toBe('CMD');
      const commands = IMAGE_COMMANDS.find(([re]) => re.test(s.image ?? ''))?.[1];
      expect(commands, `${name}: an image the test knows`).toBeDefined();
      expect(commands, name).toContain(test[1]);
    }
  });

  it('points each HTTP healthcheck at a port the service listens on', () => {
    for (const name of Object.keys(services)) {
      const text = healthcheck(name).join(' ');
      for (const m of text.matchAll(/http:\/\/127\.0\.0\.1:(\d+)\//g)) {
        const ports = new Set([...listening(name), ...(IMAGE_PORTS[name] ?? [])]);
        expect(ports.has(Number(m[1])), `${name} → ${m[1]}`).toBe(true);
      }
      if (text.includes('process.env.PORT')) expect(services[name].environment?.PORT, name).toBeDefined();
    }
  });

  it('starts a service only once what it depends on is healthy', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(condition, `${name} → ${dep}`).toBe('service_healthy');
        expect(healthcheck(dep).length, `${dep} has a healthcheck`).toBeGreaterThan(0);
      }
    }
    // What each really needs: the fault proxy and Redis for everyone, Jaeger for whoever exports traces.
    for (const name of FAULTLINE_SERVICES) {
      expect(Object.keys(services[name].depends_on ?? {}).sort(), name).toEqual(['jaeger', 'redis', 'toxiproxy']);
    }
  });

  it('has node healthchecks that pass on 200 and fail on 503 or no answer', async () => {
    let status = 200;
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const run = async (name: string, target: number): Promise<number> => {
      const [, command, flag, script] = healthcheck(name);
      expect([command, flag]).toEqual(['node', '-e']);
      // The compose port is swapped for the test server's; PORT is what a demo container has.
      const local = script.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${target}`);
      return promisify(execFile)(process.execPath, ['-e', local], { env: { ...process.env, PORT: String(target) }, timeout: 10_000 }).then(() => 0, (err: { code?: number }) => err.code ?? -1);
    };
    try {
      for (const name of ['faultline', 'gateway']) {
        status = 200;
        expect(await run(name, port), `${name} on 200`).toBe(0);
        status = 503;
        expect(await run(name, port), `${name} on 503`).toBe(1);
      }
      expect(paths).toEqual(['/readyz', '/readyz', '/healthz', '/healthz']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await run('faultline', port), 'nothing listening').toBe(1);
  });
});
