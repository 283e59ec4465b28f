/**
 * `GET /v1/runs/{id}/events`: a run's live progress as Server-Sent Events,
 * over a real listening app. And the live view it sends: elapsed and ETA per
 * scenario from the plan's phase lengths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { liveView } from '../../src/api/routes/events.js';
import type { RunRecord } from '../../src/store/artifact-store.js';
import { auth, harness, type Harness } from '../src/harness.js';
import { planFixture } from './console-fixture.js';

const plan = planFixture();
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function record(progress: RunRecord['progress'], status: RunRecord['status'] = 'running', phaseScale?: number): RunRecord {
  return { id: 'run-1', planId: plan.id, status, createdAt: at(0), startedAt: at(0), options: phaseScale ? { phaseScale } : {}, total: progress.length, progress };
}

describe('the live view of a run', () => {
  it('places a scenario in its phase by the plan: 1 s into the fault is 4 s in, 10 s left of 14 s', () => {
    const v = liveView(record([{ scenarioId: plan.scenarios[0].id, stage: 'fault', at: at(0) }, { scenarioId: plan.scenarios[1].id, stage: 'queued', at: at(0) }]), plan, T0 + 1000);
    expect(v.scenarios[0]).toMatchObject({ stage: 'fault', elapsedMs: 4000, etaMs: 10_000, plannedMs: 14_000 });
    expect(v.scenarios[1]).toMatchObject({ stage: 'queued', elapsedMs: 0, etaMs: 14_000 });
    expect(v).toMatchObject({ elapsedMs: 1000, etaMs: 24_000, finished: 0, total: 2 });
  });

  it('scales phases by the run\'s phase scale and never counts down below zero', () => {
    const v = liveView(record([{ scenarioId: plan.scenarios[0].id, stage: 'checking', at: at(0) }], 'running', 0.5), plan, T0 + 60_000);
    expect(v.scenarios[0]).toMatchObject({ plannedMs: 7000, etaMs: 0 });
  });

  it('keeps a finished scenario\'s elapsed time it saw, and ends with no time left', () => {
    const seen = new Map<string, number>();
    const id = plan.scenarios[0].id;
    liveView(record([{ scenarioId: id, stage: 'recovery', at: at(0) }]), plan, T0 + 2000, seen);
    const done = liveView({ ...record([{ scenarioId: id, stage: 'done', at: at(2000), detail: 'PASS-smoke' }], 'succeeded'), finishedAt: at(2500) }, plan, T0 + 9000, seen);
    expect(done.scenarios[0]).toMatchObject({ stage: 'done', elapsedMs: 10_000, etaMs: 0, detail: 'PASS-smoke' });
    expect(done).toMatchObject({ etaMs: 0, elapsedMs: 2500, finished: 1 });
  });
});

/** Read SSE events from a response until `stop` says so or the stream ends. */
async function readEvents(res: Response, stop: (e: { event: string; data: any }) => boolean): Promise<{ event: string; data: any }[]> {
  const events: { event: string; data: any }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buf += value;
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      events.push({ event, data });
      if (stop(events[events.length - 1])) {
        await reader.cancel();
        return events;
      }
    }
  }
}

describe('GET /v1/runs/{id}/events', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.app.close();
    h = undefined;
  });

  async function start(env: Record<string, string> = {}): Promise<{ url: string; runId: string; release: () => void }> {
    h = await harness(env);
    await h.store.put('plans', plan);
    let release!: () => void;
    h.executor.gate = new Promise<void>((r) => (release = r));
    const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${url}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: plan.id }) });
    return { url, runId: ((await res.json()) as { id: string }).id, release };
  }

  it('streams per-scenario phase and ETA while the run goes, then one end event, and closes', async () => {
    const { url, runId, release } = await start();
    const res = await fetch(`${url}/v1/runs/${runId}/events`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(res, (e) => {
      if (e.event === 'progress' && e.data.scenarios.every((s: { stage: string }) => s.stage === 'fault')) release();
      return false;
    });
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    const live = progress.find((e) => e.data.scenarios[0].stage === 'fault')!.data;
    expect(live).toMatchObject({ runId, status: 'running', total: 2 });
    expect(live.scenarios[0].etaMs).toBeGreaterThan(0);
    expect(live.etaMs).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'succeeded', etaMs: 0, finished: 2 } });
    expect(events.filter((e) => e.event === 'end')).toHaveLength(1);
  });

  it('needs a token when reads are locked, and names an unknown run', async () => {
    const { url, release } = await start({ FAULTLINE_READS_OPEN: 'false' });
    expect((await fetch(`${url}/v1/runs/run-nope/events`)).status).toBe(401);
    const missing = await fetch(`${url}/v1/runs/run-nope/events`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    release();
  });

  it('lets the server close while a client is still listening', async () => {
    const { url, runId, release } = await start();
    const res = await fetch(`${url}/v1/runs/${runId}/events`, { headers: auth });
    const reading = readEvents(res, () => false);
    await h!.app.close();
    h = undefined;
    const events = await reading;
    expect(events.length).toBeGreaterThan(0);
    release();
  });
});
