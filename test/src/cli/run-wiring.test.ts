/**
 * `faultline run` wired by src/wiring.ts: a plan whose toxiproxy.url names a
 * running faultline proxy faults through THAT server (no proxy of its own),
 * and an in-process proxy that cannot bind a plan's listen port fails with
 * PORT_IN_USE naming the port, not an unexplained 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerRun } from '../../../src/cli/commands/run.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { FaultlineError } from '../../../base/errors.js';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import type { Findings } from '../../../runners/record/result.js';
import { freePort } from '../../support/ports.js';
import { startToySystem, type ToySystem } from '../../runners/execute/toy-system.js';
import { toyPlan } from '../../runners/execute/toy-plan.js';

let toy: ToySystem;
let dir: string;
let running: RunningFaultProxy;
beforeAll(async () => {
  toy = await startToySystem();
  dir = mkdtempSync(join(tmpdir(), 'faultline-run-wiring-'));
  // What `faultline proxy --port N` runs, on a free port.
  running = await startFaultProxy({ host: '127.0.0.1', port: await freePort() });
});
afterAll(async () => {
  await running?.close();
  await toy?.close();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

function cli(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({ FAULTLINE_DATA_DIR: dir, ...env }) };
  const program = new Command('faultline').exitOverride();
  registerRun(program, io);
  return { program, out, err };
}

describe('faultline run wiring', () => {
  it("faults through the running proxy named by the plan's toxiproxy.url and starts none of its own", async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    const plan = { ...toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 300, faultMs: 600, recoveryMs: 300 }, ratePerSec: 40 }), toxiproxy: { url: running.url } };
    writeFileSync(join(dir, 'plan-url.json'), JSON.stringify(plan));
    // Watch the running server for the scenario's toxic while the run goes on.
    const seen = new Set<string>();
    const watch = setInterval(() => {
      for (const p of running.registry.list()) for (const t of p.toxics) seen.add(`${p.name}/${t.name}/${t.type}`);
    }, 20);
    const { program, err } = cli();
    try {
      await program.parseAsync(['run', 'plan-url.json', '--out-dir', 'out-url'], { from: 'user' });
    } finally {
      clearInterval(watch);
    }
    expect([...seen]).toEqual(['prices/faultline-local-orders_available_under_prices_latency/latency']);
    expect(running.registry.list().map((p) => [p.name, p.listen])).toEqual([['prices', listen]]);
    expect(running.registry.counters('prices').connections).toBeGreaterThan(0);
    expect(err.join('\n')).toContain(`faulting through ${running.url} (plan)`);
    expect(err.join('\n')).not.toContain("started faultline's fault proxy");
    const findings = JSON.parse(readFileSync(join(dir, 'out-url', 'findings.json'), 'utf8')) as Findings;
    expect(findings.results[0].verdict.startsWith('INCONCLUSIVE-env')).toBe(false);
  });

  it('--toxiproxy-url beats the plan: a dead URL in the plan is never used', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    await running.registry.remove('prices').catch(() => undefined);
    const plan = { ...toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 200, faultMs: 400, recoveryMs: 200 }, ratePerSec: 40 }), toxiproxy: { url: `http://127.0.0.1:${await freePort()}` } };
    writeFileSync(join(dir, 'plan-flag.json'), JSON.stringify(plan));
    const { program, err } = cli({ TOXIPROXY_URL: `http://127.0.0.1:${await freePort()}` });
    await program.parseAsync(['run', 'plan-flag.json', '--out-dir', 'out-flag', '--toxiproxy-url', running.url], { from: 'user' });
    expect(err.join('\n')).toContain(`faulting through ${running.url} (flag)`);
    const findings = JSON.parse(readFileSync(join(dir, 'out-flag', 'findings.json'), 'utf8')) as Findings;
    expect(findings.results[0].verdict.startsWith('INCONCLUSIVE-env')).toBe(false);
  });

  it('receives the plan\'s OTLP spans itself while it runs a plan with traces: {type: otlp}', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    const otlpPort = await freePort();
    const plan = { ...toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 300, faultMs: 400, recoveryMs: 300 }, ratePerSec: 40 }), traces: { type: 'otlp' as const } };
    writeFileSync(join(dir, 'plan-otlp.json'), JSON.stringify(plan));
    const { program, err } = cli();
    const statuses: number[] = [];
    const running = program.parseAsync(['run', 'plan-otlp.json', '--out-dir', 'out-otlp', '--otlp-port', String(otlpPort)], { from: 'user' });
    // An exporter pushing while the scenario runs.
    for (let i = 0; i < 100 && statuses.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const res = await fetch(`http://127.0.0.1:${otlpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' }).catch(() => undefined);
      if (res) statuses.push(res.status);
    }
    await running;
    expect(statuses).toEqual([200]);
    expect(err.join('\n')).toContain(`receiving OTLP at http://127.0.0.1:${otlpPort}: point OTEL_EXPORTER_OTLP_ENDPOINT`);
    expect(err.join('\n')).not.toContain('no readable trace source');
  });

  it('names the taken port and the way out when its own proxy cannot bind a listen port', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const plan = toyPlan({ frontUrl: toy.frontUrl, proxyListen: `127.0.0.1:${port}`, pricesAddress: toy.pricesAddress });
      writeFileSync(join(dir, 'plan-busy.json'), JSON.stringify(plan));
      const { program } = cli();
      const error = await program.parseAsync(['run', 'plan-busy.json', '--out-dir', 'out-busy'], { from: 'user' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(FaultlineError);
      expect((error as FaultlineError).code).toBe('PORT_IN_USE');
      expect((error as FaultlineError).statusCode).toBe(409);
      expect((error as FaultlineError).message).toContain(`port ${port}`);
      expect((error as FaultlineError).message).toContain('is `faultline proxy` already running? set toxiproxy.url');
    } finally {
      await new Promise<void>((r) => holder.close(() => r()));
    }
  });
});
