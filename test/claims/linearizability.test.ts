import { describe, expect, it } from 'vitest';
import type { ClaimCheck } from '../../claims/claim.js';
import { checkLinearizable } from '../../claims/checkers/linearizability.js';
import { searchRegister, type LinOp } from '../../claims/checkers/linearization-search.js';
import type { Op } from '../../claims/history.js';
import { registerHistory } from '../../bench/linearizability.js';
import { history, op } from '../support/history-build.js';

const reg: Extract<ClaimCheck, { type: 'linearizable' }> = { type: 'linearizable', model: 'register', readEntrypoint: 'get', writeEntrypoint: 'put', valueSelector: '$.value' };
const w = (p: number, v: number, from: number, to: number, extra: Partial<Op> = {}) => op({ process: p, type: 'put', input: { value: v }, invokeMs: from, completeMs: to, ...extra });
const r = (p: number, v: number | null, from: number, to: number, extra: Partial<Op> = {}) => op({ process: p, type: 'get', output: { value: v }, invokeMs: from, completeMs: to, ...extra });
const timedOut = { ok: false, timeout: true };

/** Pad a history with unrelated-but-valid sequential ops so it clears the 10-op minimum. */
const pad = (from: number) => Array.from({ length: 5 }, (_, i) => [w(9, 100 + i, from + i * 20, from + i * 20 + 5), r(9, 100 + i, from + i * 20 + 10, from + i * 20 + 15)]).flat();

describe('linearizability search', () => {
  const lo = (id: number, kind: 'read' | 'write', value: string, invoke: number, complete: number): LinOp => ({ id, process: id, kind, value, invoke, complete });
  it('accepts a read concurrent with a write seeing either value', () => {
    const ops = [lo(1, 'write', '1', 0, 10), lo(2, 'write', '2', 20, 40), lo(3, 'read', '1', 25, 30), lo(4, 'read', '2', 35, 50)];
    expect(searchRegister(ops, 1e6).result).toBe('linearizable');
  });
  it('rejects a stale read after a newer write completed', () => {
    const ops = [lo(1, 'write', '1', 0, 10), lo(2, 'write', '2', 20, 30), lo(3, 'read', '1', 40, 50)];
    const out = searchRegister(ops, 1e6);
    expect(out.result).toBe('violation');
    if (out.result === 'violation') expect(out.stuck.id).toBe(3);
  });
  it('gives up when the budget is exhausted', () => {
    const ops = [lo(1, 'write', '1', 0, 10), lo(2, 'read', '1', 20, 30)];
    expect(searchRegister(ops, 1).result).toBe('gave-up');
  });
});

describe('linearizable register checker', () => {
  it('passes a history that is linearizable only if a timed-out write took effect', () => {
    const ops = [w(1, 1, 0, 10), w(2, 2, 20, 5020, timedOut), r(3, 2, 30, 40), r(3, 2, 50, 60), ...pad(100)];
    const res = checkLinearizable('c', reg, history(ops));
    expect(res).toMatchObject({ ok: true, sufficient: true, opsConsumed: 14 });
  });
  it('fails the same history when the write was refused with a 4xx (it did not happen)', () => {
    const ops = [w(1, 1, 0, 10), w(2, 2, 20, 25, { ok: false, status: 409 }), r(3, 2, 30, 40), ...pad(100)];
    const res = checkLinearizable('c', reg, history(ops));
    expect(res.ok).toBe(false);
    expect(res.anomalies).toHaveLength(1);
    expect(res.anomalies[0].ops?.[0]).toBe(ops[2].id);
  });
  it('fails a history that is not linearizable whatever the timeouts did', () => {
    // After 2 is read, 1 (whose write completed before) can never come back.
    const ops = [w(1, 1, 0, 10), w(2, 2, 20, 5020, timedOut), r(3, 2, 30, 40), r(3, 1, 50, 60), ...pad(100)];
    const res = checkLinearizable('c', reg, history(ops));
    expect(res.ok).toBe(false);
    expect(res.anomalies).toHaveLength(1);
    expect(res.anomalies[0].message).toContain(`op ${ops[3].id}`);
    expect(res.summary).toBe('checked 14 ops, 1 anomaly');
  });
  it('flags a read of a value no write wrote without searching', () => {
    const ops = [w(1, 1, 0, 10), r(3, 42, 30, 40), ...pad(100)];
    const res = checkLinearizable('c', reg, history(ops));
    expect(res.anomalies[0].message).toContain('returned a value no write wrote');
  });
  it('drops timed-out reads and failed reads, and timed-out writes nobody observed', () => {
    const ops = [w(1, 1, 0, 10), w(2, 7, 15, 5015, timedOut), r(3, 5, 20, 5020, timedOut), r(4, 9, 20, 30, { ok: false, status: 500 }), r(3, 1, 5030, 5040), ...pad(6000)];
    const res = checkLinearizable('c', reg, history(ops));
    expect(res).toMatchObject({ ok: true, opsConsumed: 12 });
    expect(res.summary).toContain('3 ops dropped');
  });
  it('is insufficient with fewer than 10 ops or no reads', () => {
    expect(checkLinearizable('c', reg, history([w(1, 1, 0, 10), r(2, 1, 20, 30)])).insufficientReason).toBe('only 2 register ops (need 10)');
    const writes = Array.from({ length: 12 }, (_, i) => w(1, i, i * 10, i * 10 + 5));
    expect(checkLinearizable('c', reg, history(writes)).insufficientReason).toMatch(/no completed read/);
  });
  it('reports PARTIAL-model material when the search gives up', () => {
    const res = checkLinearizable('c', reg, history(registerHistory(200, 4, 7).ops), 5);
    expect(res.partialModel).toBe('search gave up on 1 of 1 registers after 5 steps');
    expect(res.ok).toBe(true);
  });
  it('checks a generated 2,000-op 8-client history with timeouts as linearizable', () => {
    const res = checkLinearizable('c', reg, history(registerHistory(2000, 8, 3).ops));
    expect(res).toMatchObject({ ok: true, sufficient: true });
    expect(res.partialModel).toBeUndefined();
  });
});

describe('linearizable kv checker', () => {
  const kv: Extract<ClaimCheck, { type: 'linearizable' }> = { ...reg, model: 'kv' };
  const kw = (p: number, key: string, v: number, from: number, to: number, extra: Partial<Op> = {}) => op({ process: p, type: 'put', input: { key, value: v }, invokeMs: from, completeMs: to, ...extra });
  const kr = (p: number, key: string, v: number, from: number, to: number) => op({ process: p, type: 'get', input: { key }, output: { value: v }, invokeMs: from, completeMs: to });
  it('checks each key on its own: interleaved keys do not interfere', () => {
    const ops = [kw(1, 'a', 1, 0, 10), kw(2, 'b', 2, 0, 10), kr(3, 'a', 1, 20, 30), kr(4, 'b', 2, 20, 30), kw(1, 'a', 3, 40, 50), kr(2, 'b', 2, 60, 70), kr(3, 'a', 3, 60, 70), kw(4, 'b', 4, 80, 90), kr(1, 'b', 4, 100, 110), kr(2, 'a', 3, 100, 110)];
    const res = checkLinearizable('c', kv, history(ops));
    expect(res).toMatchObject({ ok: true, opsConsumed: 10 });
    expect(res.summary).toContain('2 keys');
  });
  it('names the key with the violation', () => {
    const ops = [kw(1, 'a', 1, 0, 10), kw(2, 'b', 2, 0, 10), kr(3, 'a', 1, 20, 30), kr(4, 'b', 2, 20, 30), kw(1, 'a', 3, 40, 50), kr(2, 'b', 2, 60, 70), kr(3, 'a', 1, 60, 70), kw(4, 'b', 4, 80, 90), kr(1, 'b', 4, 100, 110), kr(2, 'a', 3, 100, 110)];
    const res = checkLinearizable('c', kv, history(ops));
    expect(res.anomalies).toHaveLength(1);
    expect(res.anomalies[0].key).toBe('a');
    expect(res.anomalies[0].message).toMatch(/^key a: no linearization/);
  });
  it('keys ops by the resource their URL addressed when the body names no key', () => {
    // PUT and GET /carts/c-{{int 1 50}}/items: the write's body is only the value.
    const pw = (p: number, acc: string, v: number, from: number, to: number) => op({ process: p, type: 'put', resource: acc, input: { value: v }, invokeMs: from, completeMs: to });
    const pr = (p: number, acc: string, v: number, from: number, to: number) => op({ process: p, type: 'get', resource: acc, output: { value: v }, invokeMs: from, completeMs: to });
    const fine = Array.from({ length: 10 }, (_, i) => pr(4, '8', 5, 40 + i * 20, 50 + i * 20));
    const stale = [pw(1, '7', 1, 0, 10), pw(2, '8', 5, 0, 10), pw(1, '7', 2, 20, 30), pr(3, '7', 1, 40, 50), ...fine];
    const res = checkLinearizable('c', kv, history(stale));
    expect(res.anomalies.map((a) => a.key)).toEqual(['7']);
    const fresh = checkLinearizable('c', kv, history([...stale.slice(0, 3), pr(3, '7', 2, 40, 50), ...fine]));
    expect(fresh).toMatchObject({ ok: true, sufficient: true });
  });
  it('marks the surface unexercised when most keys were never read', () => {
    const ops = [...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => kw(1, k, i, i * 10, i * 10 + 5)), kr(2, 'a', 0, 200, 210)];
    const res = checkLinearizable('c', kv, history(ops));
    expect(res.unexercised).toHaveLength(8);
  });
});
