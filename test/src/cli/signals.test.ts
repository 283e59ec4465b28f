import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../generators/plan.js';
import type { Findings } from '../../../runners/record/result.js';
import { startRig, type Rig } from '../../runners/execute/rig.js';
import { freePort } from '../../support/ports.js';
import { startRedis, type PrivateRedis } from '../../support/redis.js';
import { spawnCli, type CliProcess } from './cli-process.js';

let rig: Rig;
let dir: string;
let cli: CliProcess | undefined;
beforeAll(async () => {
  rig = await startRig();
  dir = await mkdtemp(join(tmpdir(), 'faultline-signals-'));
});
afterEach(async () => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  cli = undefined;
  await rig.proxy.reset();
});
afterAll(async () => {
  await rig?.close();
  await rm(dir, { recursive: true, force: true });
});

/** No REDIS_URL (scenarios run in the CLI's own process) and no stray proxy from the environment. */
const ENV = { REDIS_URL: '', TOXIPROXY_URL: '' };
const DOWN: Scenario['fault'] = { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: 'the proxy is down for the whole fault phase' };

async function prices() {
  const p = await rig.injector.getProxy('prices');
  return { toxics: (p?.toxics ?? []).map((t) => t.name), enabled: p?.enabled };
}

/** Run a one-scenario plan whose fault phase lasts a minute, send `sig` once the fault is on, and return what is left. */
async function interruptRun(sig: NodeJS.Signals, fault?: Scenario['fault']) {
  const plan = rig.plan({ phases: { baselineMs: 500, faultMs: 60_000, recoveryMs: 500 }, ratePerSec: 20 });
  if (fault) plan.scenarios[0].fault = fault;
  const out = await mkdtemp(join(dir, 'run-'));
  await writeFile(join(out, 'plan.json'), JSON.stringify(plan));
  cli = spawnCli(['run', join(out, 'plan.json'), '--toxiproxy-url', rig.proxy.url, '--out-dir', out], { env: ENV });
  await cli.waitFor(/orders_available_under_prices_latency\s+fault/);
  const during = await prices();
  cli.child.kill(sig);
  const exit = await cli.exited(20_000);
  const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as Findings;
  return { during, after: await prices(), exit, findings, stderr: cli.stderr() };
}

describe('faultline run stopped by a signal', () => {
  it('SIGTERM mid-fault removes the toxic, writes the partial findings and exits 143', async () => {
    const r = await interruptRun('SIGTERM');
    expect(r.during.toxics).toHaveLength(1);
    expect(r.after.toxics).toEqual([]);
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.findings.results).toEqual([expect.objectContaining({ scenarioId: 'orders_available_under_prices_latency', verdict: 'INCONCLUSIVE-env' })]);
    expect(JSON.stringify(r.findings.results[0])).toContain('interrupted by SIGTERM');
    expect(r.stderr).toContain('stopped by SIGTERM: the findings are partial');
  }, 60_000);

  it('SIGHUP mid-outage enables the disabled proxy again and exits 129', async () => {
    const r = await interruptRun('SIGHUP', DOWN);
    expect(r.during.enabled).toBe(false);
    expect(r.after).toEqual({ toxics: [], enabled: true });
    expect(r.exit).toEqual({ code: 129, signal: null });
    expect(r.findings.results[0].verdict).toBe('INCONCLUSIVE-env');
  }, 60_000);
});

describe('faultline serve and worker stopped by SIGHUP', () => {
  it('serve shuts down gracefully on SIGHUP, removing the active toxics, instead of dying', async () => {
    const port = await freePort();
    cli = spawnCli(['serve', '--port', String(port), '--data-dir', join(dir, 'serve-data')], { env: { ...ENV, TOXIPROXY_URL: rig.proxy.url, FAULTLINE_LOG_LEVEL: 'info' } });
    await cli.waitFor(/faultline API at/);
    await rig.injector.addToxic('prices', { name: 'left-by-a-run', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100 } });
    cli.child.kill('SIGHUP');
    const exit = await cli.exited(20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await prices()).toxics).toEqual([]);
  }, 60_000);

  describe('with a private Redis', () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('worker stops taking jobs on SIGHUP and exits cleanly instead of dying', async () => {
      cli = spawnCli(['worker', '--toxiproxy-url', rig.proxy.url, '--name', 'hup'], { env: { ...ENV, REDIS_URL: redis.url } });
      await cli.waitFor(/worker hup serving/);
      cli.child.kill('SIGHUP');
      const exit = await cli.exited(20_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(cli.stderr()).toContain('SIGHUP: stopping');
      expect(cli.stderr()).toContain('worker stopped');
    }, 60_000);
  });
});
