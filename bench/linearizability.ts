/**
 * Linearizability checker benchmark: a random valid 10,000-op, 8-client
 * register history (about 1% of writes time out, half of those taking
 * effect anyway) checked through the real checker. Target: under 1 s.
 */
import { performance } from 'node:perf_hooks';
import type { History, Op } from '../claims/history.js';
import { checkLinearizable } from '../claims/checkers/linearizability.js';
import type { BenchResult } from './result.js';
import { seededRng } from '../runners/execute/workload/rng.js';

/** A seeded generator's uniform draws, so every run sees the same sequence. */
function rng(seed: number): () => number {
  return seededRng(seed).next;
}

/**
 * Simulate a real atomic register: each op takes effect at a random point
 * inside its [invoke, complete] window; effects apply in that order, so the
 * history is linearizable by construction. Values come from a small domain
 * (10 values) so many writes are indistinguishable, which stresses the search.
 */
export function registerHistory(opsTotal: number, clients: number, seed: number, timeoutRate = 0.01): History {
  const rand = rng(seed);
  type Planned = { op: Op; effectAt: number | null; write: boolean; value: number };
  const planned: Planned[] = [];
  const clock = new Array<number>(clients).fill(0);
  for (let id = 0; id < opsTotal; id++) {
    const p = id % clients;
    const invoke = clock[p] + rand() * 3;
    const duration = 1 + rand() * 20;
    const write = rand() < 0.5;
    const value = Math.floor(rand() * 10);
    const timedOut = write && rand() < timeoutRate;
    const effectAt = timedOut && rand() < 0.5 ? null : invoke + rand() * duration;
    const complete = timedOut ? invoke + 1000 : invoke + duration;
    clock[p] = complete;
    const op: Op = { id, process: p, type: write ? 'put' : 'get', ok: !timedOut, timeout: timedOut, invokeMs: invoke, completeMs: complete, epoch: 'fault' };
    if (write) op.input = { value };
    planned.push({ op, effectAt, write, value });
  }
  let current: number | null = null;
  for (const pl of [...planned].filter((x) => x.effectAt !== null).sort((a, b) => (a.effectAt as number) - (b.effectAt as number))) {
    if (pl.write) current = pl.value;
    else pl.op.output = { value: current };
  }
  return {
    schemaVersion: 1,
    startedAtUnixMs: 0,
    ops: planned.map((p) => p.op),
    phases: { baseline: { startMs: 0, endMs: 0 }, fault: { startMs: 0, endMs: 1e9 }, recovery: { startMs: 1e9, endMs: 1e9 } },
    probes: { before: {}, after: {} },
  };
}

/** Time the checker on the generated history (best of 3 after one warm-up). */
export async function run(): Promise<BenchResult[]> {
  const history = registerHistory(10_000, 8, 42);
  const check = { type: 'linearizable' as const, model: 'register' as const, readEntrypoint: 'get', writeEntrypoint: 'put', valueSelector: '$.value' };
  let result = checkLinearizable('bench', check, history);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = checkLinearizable('bench', check, history);
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  const timeouts = history.ops.filter((o) => o.timeout).length;
  return [
    {
      name: 'linearizability: 10,000-op 8-client register history',
      value: Math.round(best),
      unit: 'ms',
      target: '< 1000 ms',
      pass: best < 1000 && result.ok && result.sufficient && !result.partialModel,
      note: `${result.summary}; ${timeouts} timed-out writes; runs ${times.map((t) => Math.round(t)).join('/')} ms`,
    },
  ];
}
