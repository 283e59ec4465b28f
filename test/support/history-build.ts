/** Hand-built histories for the core tests. */
import type { Phase } from '../../claims/claim.js';
import type { History, Op } from '../../claims/history.js';

/** Phases: baseline 0–10 s, fault 10–20 s, recovery 20–30 s unless given. */
export function history(ops: Op[], extra: Partial<History> = {}): History {
  return {
    schemaVersion: 1,
    startedAtUnixMs: 1_700_000_000_000,
    ops,
    phases: { baseline: { startMs: 0, endMs: 10_000 }, fault: { startMs: 10_000, endMs: 20_000 }, recovery: { startMs: 20_000, endMs: 30_000 } },
    probes: { before: {}, after: {} },
    ...extra,
  };
}

let nextId = 1;

/** One op; latency defaults to 10 ms, ok. */
export function op(p: Partial<Op> & { invokeMs: number }): Op {
  const epoch: Phase = p.epoch ?? (p.invokeMs < 10_000 ? 'baseline' : p.invokeMs < 20_000 ? 'fault' : 'recovery');
  return { id: nextId++, process: 0, type: 'checkout', ok: true, timeout: false, completeMs: p.invokeMs + 10, epoch, ...p };
}

/** `n` ops of an entrypoint spread evenly over [fromMs, toMs) with a latency and ok flag. */
export function spread(n: number, fromMs: number, toMs: number, f: (i: number, at: number) => Partial<Op> = () => ({})): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < n; i++) {
    const at = fromMs + ((toMs - fromMs) * i) / n;
    const extra = f(i, at);
    out.push(op({ invokeMs: at, completeMs: at + 10, ...extra }));
  }
  return out;
}
