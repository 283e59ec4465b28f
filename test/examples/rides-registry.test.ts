import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/command.js';
import { loadConfig } from '../../src/config.js';
import { EXAMPLE_SYSTEMS, exampleSystem } from '../../examples/systems.js';
import { formatRidesBugs, parseRidesBugs, RIDES_BUGS } from '../../examples/rides/bugs.js';
import { LEDGER_BUGS } from '../../examples/ledger/bugs.js';
import { TICKETS_BUGS } from '../../examples/tickets/bugs.js';
import { ridesManifest } from '../../examples/rides/manifest.js';
import { RIDES_LINKS, RIDES_SERVICES, type RidesService } from '../../examples/rides/topology.js';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: process.cwd(), config: (o) => loadConfig({}, o) };
}

describe('rides bug switch', () => {
  it('switches every bug on by default and for "all", none for "none"', () => {
    expect(parseRidesBugs(undefined)).toEqual([...RIDES_BUGS]);
    expect(parseRidesBugs('all')).toEqual([...RIDES_BUGS]);
    expect(parseRidesBugs('')).toEqual([...RIDES_BUGS]);
    expect(parseRidesBugs('none')).toEqual([]);
    expect(formatRidesBugs([])).toBe('none');
  });

  it('takes a comma list in any order and keeps the canonical order', () => {
    expect(parseRidesBugs(' pool-leak,duplicate-hold ')).toEqual(['duplicate-hold', 'pool-leak']);
    expect(parseRidesBugs(['crash-on-reset'])).toEqual(['crash-on-reset']);
  });

  it('rejects an unknown bug name and lists the known ones', () => {
    expect(() => parseRidesBugs('duplicate-hold,lost-email')).toThrow(/unknown rides bug "lost-email"; known: duplicate-hold, dropped-dispatch, crash-on-reset, no-reconnect, pool-leak/);
  });
});

describe('example system registry', () => {
  it('offers the shop (default), rides, ledger, tickets and clinic, each with its own bugs', () => {
    expect(EXAMPLE_SYSTEMS.map((s) => s.name)).toEqual(['shop', 'rides', 'ledger', 'tickets', 'clinic']);
    expect(exampleSystem('rides').bugs).toEqual(RIDES_BUGS);
    expect(exampleSystem('shop').bugs).toContain('double-charge');
    expect(exampleSystem('ledger').bugs).toEqual(LEDGER_BUGS);
    expect(exampleSystem('tickets').bugs).toEqual(TICKETS_BUGS);
  });

  it('names the known systems when asked for an unknown one', () => {
    expect(() => exampleSystem('bank')).toThrow(/unknown example system "bank"; known: shop, rides, ledger, tickets, clinic/);
  });

  it('faultline demo --system with an unknown name exits non-zero listing the known systems, before starting anything', async () => {
    const io = captureIO();
    const code = await main(['demo', '--system', 'bank'], io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/unknown example system "bank"; known: shop, rides, ledger, tickets, clinic/);
  });
});

describe('rides manifest', () => {
  const services = Object.fromEntries(RIDES_SERVICES.map((s, i) => [s, `http://127.0.0.1:${41000 + i}`])) as Record<RidesService, string>;
  const proxies = Object.fromEntries(RIDES_LINKS.map((l, i) => [l.proxy, { listen: `127.0.0.1:${42000 + i}`, upstream: l.target === 'redis' ? '127.0.0.1:43000' : services[l.target].slice(7) }]));
  const manifest = ridesManifest({ services, toxiproxyUrl: 'http://127.0.0.1:44000', proxies });

  it('is faultline.yaml as written, pointed at the running ports', () => {
    expect(manifest.system.name).toBe('rides');
    expect(manifest.toxiproxy.url).toBe('http://127.0.0.1:44000');
    expect(manifest.entrypoints.map((e) => e.url)).toEqual([
      `${services['rider-api']}/rides`,
      `${services['rider-api']}/quotes/{{pick north south east west downtown}}`,
      `${services['rider-api']}/riders/r-{{int 10 99}}/balance`,
    ]);
    expect(manifest.probes.map((p) => (p.type === 'http' ? p.url : ''))).toEqual([`${services.wallet}/debug/holds`, `${services.dispatch}/debug/assignments`]);
    expect(manifest.hooks.beforeScenario).toEqual([{ method: 'POST', url: `${services['rider-api']}/admin/reset` }]);
    expect(manifest.proxies.map((p) => [p.name, p.listen, `${p.edge.from}->${p.edge.to}`])).toEqual(RIDES_LINKS.map((l, i) => [l.proxy, `127.0.0.1:${42000 + i}`, `${l.edge.from}->${l.edge.to}`]));
  });

  it('keeps the defaults a new user gets: the halting guard, workload and phases', () => {
    expect(manifest.halting).toEqual([{ maxErrorRate: 0.9, windowMs: 5000 }]);
    expect(manifest.workload).toEqual({ ratePerSec: 20, seed: 1 });
    expect(manifest.phases).toEqual({ baselineMs: 5_000, faultMs: 10_000, recoveryMs: 15_000 });
    expect(manifest.entrypoints.some((e) => e.traceEntrypoint !== undefined)).toBe(false);
  });

  it('states five or more claims of different forms', () => {
    expect(manifest.claims.length).toBeGreaterThanOrEqual(5);
    expect(new Set(manifest.claims.map((c) => c.check.type))).toEqual(new Set(['latency', 'at-most-once', 'no-lost-ack', 'availability', 'recovery']));
  });
});
