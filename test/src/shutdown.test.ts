import { describe, expect, it } from 'vitest';
import { gracefulShutdown, onStopSignals, signalExitCode, STOP_SIGNALS } from '../../src/shutdown.js';
import { silentLog } from '../../src/log.js';
import { harness, auth } from './harness.js';

describe('graceful shutdown', () => {
  it('drains the API, cancels a run that outlives the grace period and removes active toxics', async () => {
    const h = await harness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const plan = (await h.app.inject({ method: 'POST', url: '/v1/plans', headers: auth })).json();
    await h.injector.ensureProxy({ name: 'payments', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
    await h.injector.addToxic('payments', { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000 } });
    h.executor.gate = new Promise(() => {});
    const run = (await h.app.inject({ method: 'POST', url: '/v1/runs', headers: auth, payload: { planId: plan.id } })).json();
    expect(h.injector.activeToxics()).toBe(1);

    await gracefulShutdown({ app: h.app, runs: h.app.faultline.runs, executor: h.executor, injector: h.injector, log: silentLog }, 50);

    expect(h.injector.resets).toBe(1);
    expect(h.injector.activeToxics()).toBe(0);
    expect((await h.store.get('runs', run.id))?.status).toBe('cancelled');
    expect(h.app.server.listening).toBe(false);
  });

  it('lets a run that finishes within the grace period end normally', async () => {
    const h = await harness();
    const plan = (await h.app.inject({ method: 'POST', url: '/v1/plans', headers: auth })).json();
    let release!: () => void;
    h.executor.gate = new Promise((r) => (release = r));
    const run = (await h.app.inject({ method: 'POST', url: '/v1/runs', headers: auth, payload: { planId: plan.id } })).json();
    setTimeout(() => release(), 20);
    await gracefulShutdown({ app: h.app, runs: h.app.faultline.runs, executor: h.executor, injector: h.injector, log: silentLog }, 30_000);
    expect((await h.store.get('runs', run.id))?.status).toBe('succeeded');
    expect(h.injector.resets).toBe(1);
  });
});

describe('stop signals', () => {
  it('stops on SIGINT, SIGTERM and SIGHUP, exiting as a shell reports each (130, 143, 129)', () => {
    expect([...STOP_SIGNALS]).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    expect(STOP_SIGNALS.map(signalExitCode)).toEqual([130, 143, 129]);
  });

  it('keeps listening through a repeated signal, counting it, until disposed', () => {
    const seen: string[] = [];
    const before = process.listenerCount('SIGHUP');
    const off = onStopSignals((sig, count) => seen.push(`${sig}#${count}`));
    // Emitted, not sent: the handlers' logic without signalling the test runner.
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGHUP', 'SIGHUP');
    expect(seen).toEqual(['SIGTERM#1', 'SIGHUP#2']);
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    off();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});
