/**
 * The linearizability search for one register (Wing & Gong 1993, with
 * Lowe's 2017 improvements as in Porcupine): walk a doubly linked list of
 * call/return events in time order; at a call, try to linearize the op now
 * (apply it to the model, lift its call and return out of the list); at a
 * return whose op is not yet linearized, backtrack. A cache of
 * (linearized-set bitset, model state) prunes configurations already shown
 * to lead nowhere — the memoisation that makes real histories tractable.
 *
 * Ops with `complete = Infinity` "may have happened" (timed-out writes):
 * they may linearize anywhere after their invoke, or not at all. They have
 * no return event, so they never block; the search succeeds once every
 * completed op is linearized (the rest take effect at the end, or never —
 * for a write at the very end the two are indistinguishable). Two
 * refinements keep them from multiplying the state space:
 * - they are tried only after every completed candidate at a point failed,
 * - a configuration is pruned when one with the same completed-op set and
 *   state but a *subset* of them linearized was already explored: fewer
 *   used-up may-have-happened writes can only leave more options.
 *
 * The linearized set of completed ops is keyed compactly as "all ops before
 * index f in invoke order, plus these few after f", since a search frontier
 * only ever has about as many stragglers as there are concurrent clients.
 */

/** One register op as the search sees it. Values are canonical strings. */
export interface LinOp {
  id: number;
  process: number;
  kind: 'read' | 'write';
  value: string;
  invoke: number;
  /** Infinity for an op whose outcome is unknown (timed out). */
  complete: number;
}

/** What the search concluded. */
export type SearchOutcome =
  | { result: 'linearizable'; steps: number }
  /** `stuck` is the op whose return could not be passed at the deepest point reached. */
  | { result: 'violation'; steps: number; stuck: LinOp; linearized: number }
  | { result: 'gave-up'; steps: number };

/** The register's value before any op, when nothing says otherwise: the first read defines it. */
export const UNKNOWN = '\u0000unknown';

interface Entry {
  op: number;
  call: boolean;
  time: number;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/** Ops sorted by invoke; list of determinate calls/returns plus indeterminate calls. */
function buildList(ops: LinOp[]): Entry {
  const entries: Entry[] = [];
  ops.forEach((o, i) => {
    const call: Entry = { op: i, call: true, time: o.invoke, match: null, prev: null, next: null };
    entries.push(call);
    if (o.complete !== Infinity) {
      const ret: Entry = { op: i, call: false, time: o.complete, match: null, prev: null, next: null };
      call.match = ret;
      entries.push(ret);
    }
  });
  // Calls before returns at equal times: touching ops count as concurrent (never a false alarm).
  entries.sort((a, b) => a.time - b.time || (a.call === b.call ? a.op - b.op : a.call ? -1 : 1));
  const head: Entry = { op: -1, call: false, time: -Infinity, match: null, prev: null, next: null };
  let prev = head;
  for (const e of entries) {
    prev.next = e;
    e.prev = prev;
    prev = e;
  }
  return head;
}

function lift(e: Entry): void {
  e.prev!.next = e.next;
  if (e.next) e.next.prev = e.prev;
  const m = e.match;
  if (!m) return;
  m.prev!.next = m.next;
  if (m.next) m.next.prev = m.prev;
}

function unlift(e: Entry): void {
  const m = e.match;
  if (m) {
    m.prev!.next = m;
    if (m.next) m.next.prev = m;
  }
  e.prev!.next = e;
  if (e.next) e.next.prev = e;
}

/** Register semantics: a write sets the value; a read must see it (and defines an unknown one). */
function step(state: string, op: LinOp): string | null {
  if (op.kind === 'write') return op.value;
  if (state === UNKNOWN || state === op.value) return op.value;
  return null;
}

/** True when sorted `a` ⊆ sorted `b`. */
function subset(a: readonly number[], b: readonly number[]): boolean {
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j === b.length || b[j] !== x) return false;
    j++;
  }
  return true;
}

/** Search for a linearization of a register history; gives up after `maxSteps` loop iterations. */
export function searchRegister(input: LinOp[], maxSteps: number, initial: string = UNKNOWN): SearchOutcome {
  const ops = [...input].sort((a, b) => a.invoke - b.invoke);
  const n = ops.length;
  const indet = ops.map((o) => o.complete === Infinity);
  const head = buildList(ops);
  const lin = new Uint8Array(n);
  // detBefore[i] = determinate ops with index < i.
  const detBefore = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) detBefore[i + 1] = detBefore[i] + (indet[i] ? 0 : 1);
  const detTotal = detBefore[n];
  let f = 0;
  while (f < n && indet[f]) f++;
  let detLinearized = 0;
  const indetStack: number[] = [];
  const cache = new Map<string, number[][]>();
  const stack: { entry: Entry; state: string; pass: 0 | 1 }[] = [];
  let state = initial;
  let entry: Entry | null = head.next;
  let pass: 0 | 1 = 0;
  let steps = 0;
  let best = -1;
  let stuck: LinOp | undefined;

  const detKey = (): string => {
    let extras = detLinearized - detBefore[f];
    let key = `${f}`;
    for (let j = f + 1; extras > 0 && j < n; j++) {
      if (lin[j] && !indet[j]) {
        key += `,${j}`;
        extras--;
      }
    }
    return key;
  };
  const mark = (i: number) => {
    lin[i] = 1;
    if (indet[i]) indetStack.push(i);
    else {
      detLinearized++;
      while (f < n && (lin[f] || indet[f])) f++;
    }
  };
  const unmark = (i: number) => {
    lin[i] = 0;
    if (indet[i]) indetStack.pop();
    else {
      detLinearized--;
      if (i < f) f = i;
    }
  };

  while (detLinearized < detTotal) {
    if (++steps > maxSteps) return { result: 'gave-up', steps };
    const e = entry;
    if (e !== null && e.call) {
      if (indet[e.op] === (pass === 1)) {
        const next = step(state, ops[e.op]);
        if (next !== null) {
          mark(e.op);
          const key = `${detKey()}\u0001${next}`;
          const used = [...indetStack].sort((a, b) => a - b);
          const seen = cache.get(key);
          if (!seen || !seen.some((s) => subset(s, used))) {
            if (seen) seen.push(used);
            else cache.set(key, [used]);
            stack.push({ entry: e, state, pass });
            state = next;
            lift(e);
            entry = head.next;
            pass = 0;
            continue;
          }
          unmark(e.op);
        }
      }
      entry = e.next;
      continue;
    }
    // A return reached (or the list's end): completed candidates are exhausted here.
    if (pass === 0) {
      pass = 1;
      entry = head.next;
      continue;
    }
    if (e !== null && stack.length > best) {
      best = stack.length;
      stuck = ops[e.op];
    }
    const top = stack.pop();
    if (!top) return { result: 'violation', steps, stuck: stuck ?? ops[0], linearized: Math.max(0, best) };
    state = top.state;
    unmark(top.entry.op);
    unlift(top.entry);
    entry = top.entry.next;
    pass = top.pass;
  }
  return { result: 'linearizable', steps };
}
