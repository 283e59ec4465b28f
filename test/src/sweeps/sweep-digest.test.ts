import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { MemoryArtifactStore } from '../../../src/store/memory-artifact-store.js';
import { RunManager } from '../../../src/api/run-manager.js';
import { SlackNotifier } from '../../../src/sweeps/slack-notifier.js';
import { runSweep, type SweepDeps } from '../../../src/sweeps/sweep.js';
import { flushOutbox } from '../../../src/sweeps/digest-outbox.js';
import { buildDigest, MAX_SECTION_CHARS } from '../../../src/sweeps/digest.js';
import { silentLog } from '../../../src/log.js';
import type { Clock } from '../../../src/store/artifact-id.js';
import { FakeExecutor, FakePipeline, manifest } from '../fakes.js';

/** A local stand-in for Slack's incoming webhook: records bodies, fails while `failing`. */
let server: Server;
let url: string;
const received: unknown[] = [];
let failing = false;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failing) {
        res.writeHead(500).end('internal_error');
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/services/T000/B000/secret`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

function setup() {
  let t = Date.UTC(2025, 0, 6, 3, 0, 0);
  const clock: Clock = { now: () => new Date((t += 1000)) };
  const store = new MemoryArtifactStore();
  const executor = new FakeExecutor();
  const pipeline = new FakePipeline();
  const runs = new RunManager({ store, executor, clock, log: silentLog });
  const deps: SweepDeps = { store, pipeline, runs, clock, log: silentLog, notifier: new SlackNotifier(url), outbox: { attempts: 2, sleep: async () => {} }, publicUrl: 'https://faultline.example' };
  return { store, executor, pipeline, deps };
}

describe('sweeps and their Slack digest', () => {
  it('posts the exact digest: new failures first with claim and blame, recovery trend, topology changes, link', async () => {
    received.length = 0;
    const { executor, pipeline, deps, store } = setup();
    pipeline.graphs = [['frontend->checkout', 'checkout->payments'], ['frontend->checkout', 'checkout->payments', 'checkout->fraud']];
    executor.recovery = { checkout_recovers_from_payments_latency: 800 };
    const first = await runSweep(deps, manifest(), { trigger: 'cli' });
    expect(first).toMatchObject({ status: 'succeeded', counts: { 'PASS-hardening': 1 }, claims: [{ claimId: 'checkout_recovers', verdicts: ['PASS-hardening'], recoveredAfterMs: 800, edges: ['checkout->payments'] }], digest: { delivered: true } });

    executor.verdicts = { checkout_recovers_from_payments_latency: 'FAIL-reproducible' };
    executor.recovery = { checkout_recovers_from_payments_latency: 2300 };
    const second = await runSweep(deps, manifest(), { trigger: 'schedule', scheduleId: 'sched-1' });
    expect(second.status).toBe('succeeded');
    expect(second.diff).toEqual({ first: false, newServices: ['fraud'], vanishedServices: [], newEdges: ['checkout->fraud'], vanishedEdges: [], riskMoves: [] });
    expect(received).toHaveLength(2);
    // @slack/webhook 7 adds its `timeout` option (0) to every body; Slack ignores unknown keys.
    const { timeout, ...body } = received[1] as Record<string, unknown>;
    expect(timeout).toBe(0);
    expect(body).toEqual({
      text: 'faultline · shop: 1 failing of 1',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'faultline · shop: 1 failing of 1' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Verdicts* FAIL-reproducible *1*' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*New failures (1)*\n• *checkout_recovers* — FAIL-reproducible in `checkout_recovers_from_payments_latency`; blame: SUT (checker failed on fault history only)' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Recovery time*\n• *checkout_recovers* 2300 ms (+1500 ms); before: 800 ms' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Topology changes*\n• new service `fraud`\n• new edge `checkout->fraud`' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `sweep \`${second.id}\` · run \`${second.runId}\` · <https://faultline.example/#/findings/${second.runId}|Full findings>` }] },
      ],
    });
    expect((await store.get('sweeps', second.id))?.digest?.delivered).toBe(true);
  });

  it('feeds failing and inconclusive edges back into the ranking and says so in the reasons', async () => {
    const { executor, pipeline, deps } = setup();
    executor.verdicts = { checkout_recovers_from_payments_latency: 'INCONCLUSIVE-env' };
    await runSweep(deps, manifest(), { trigger: 'api' });
    await runSweep(deps, manifest(), { trigger: 'api' });
    expect(pipeline.histories[0]).toBeUndefined();
    expect(pipeline.histories[1]).toEqual([{ edge: 'checkout->payments', sweeps: 1, failed: 0, inconclusive: 1, passed: 0 }]);
    expect(pipeline.reasonsSeen[1][1]).toBe('checkout->payments is synchronous without a timeout. Raised by earlier sweeps: 0 failed and 1 inconclusive scenario(s) on checkout->payments over 1 sweep(s).');
    expect(pipeline.reasonsSeen[1][0]).toBe('frontend->checkout is synchronous without a timeout.');
  });

  it('keeps an undelivered digest in the outbox without failing the sweep, and delivers it later', async () => {
    received.length = 0;
    const { deps, store } = setup();
    failing = true;
    const sweep = await runSweep(deps, manifest(), { trigger: 'api' });
    failing = false;
    expect(sweep.status).toBe('succeeded');
    expect(sweep.digest?.delivered).toBe(false);
    const [pending] = await store.list('outbox');
    expect(pending).toMatchObject({ sweepId: sweep.id, attempts: 2, lastError: 'Slack webhook answered HTTP 500' });
    expect(await flushOutbox({ store, notifier: deps.notifier!, clock: deps.clock, log: silentLog, sleep: async () => {} })).toBe(1);
    expect(received).toHaveLength(1);
    expect((await store.get('outbox', pending.id))?.deliveredAt).toBeDefined();
  });

  it('records an environment failure as a failed sweep and still digests it', async () => {
    received.length = 0;
    const { deps, executor, store } = setup();
    const { fail } = await import('../../../base/errors.js');
    executor.error = fail('PROXY_UNAVAILABLE', 'toxiproxy at 127.0.0.1:1 refused the connection');
    const sweep = await runSweep(deps, manifest(), { trigger: 'api' });
    expect(sweep).toMatchObject({ status: 'failed', error: { code: 'PROXY_UNAVAILABLE', message: 'toxiproxy at 127.0.0.1:1 refused the connection' } });
    expect((received[0] as { text: string }).text).toBe('faultline · shop: sweep failed: toxiproxy at 127.0.0.1:1 refused the connection');
    expect((await store.get('runs', sweep.runId!))?.status).toBe('failed');
  });
});

describe('digest limits', () => {
  it('keeps sections under 3000 characters and ends long lists with "and N more"', () => {
    const claims = Array.from({ length: 60 }, (_, i) => ({ claimId: `claim_${i}_${'x'.repeat(300)}`, verdicts: [], recoveredAfterMs: i, edges: [] }));
    const d = buildDigest({ sweep: { id: 's', startedAt: '', status: 'succeeded', trigger: 'api', claims }, previous: [] });
    expect(d.blocks.length).toBeLessThanOrEqual(50);
    const recovery = d.blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Recovery time*'));
    expect(recovery?.type === 'section' && recovery.text.text.length).toBeLessThanOrEqual(MAX_SECTION_CHARS);
    expect(recovery?.type === 'section' && recovery.text.text.endsWith('…and 51 more')).toBe(true);
  });
});

describe('digest limits (property)', () => {
  it('never exceeds 50 blocks, 3000 characters per section or 150 in the header, whatever the sweep holds', async () => {
    const fc = (await import('fast-check')).default;
    const claim = fc.record({
      claimId: fc.string({ minLength: 1, maxLength: 400 }),
      recoveredAfterMs: fc.option(fc.nat(100_000), { nil: null }),
    }).map((c) => ({ ...c, verdicts: [], edges: [] }));
    fc.assert(
      fc.property(fc.array(claim, { maxLength: 200 }), fc.array(fc.string({ maxLength: 200 }), { maxLength: 300 }), fc.string({ maxLength: 500 }), (claims, edges, system) => {
        const d = buildDigest({
          sweep: { id: 's', startedAt: '', status: 'succeeded', trigger: 'api', system, claims, diff: { first: false, newServices: edges, vanishedServices: [], newEdges: edges, vanishedEdges: [], riskMoves: [] } },
          previous: [],
        });
        expect(d.blocks.length).toBeLessThanOrEqual(50);
        for (const b of d.blocks) {
          if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
          if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
        }
      }),
      { numRuns: 200 },
    );
  });
});
