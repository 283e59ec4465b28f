/**
 * A small seeded pseudo-random generator (mulberry32) so a scenario's
 * workload — arrival times, entrypoint picks, template values, request
 * keys — is the same on every run with the same seed. That is what makes a
 * FAIL re-run "on the same seed" meaningful (docs/architecture.md, "Verdicts and blame").
 */

/** A deterministic source of randomness. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** An RFC 4122 version-4 shaped UUID built from the generator's output. */
  uuid(): string;
  /** Exponentially distributed with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number;
}

/** A seeded generator; two generators with the same seed yield the same sequence. */
export function seededRng(seed: number): Rng {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(min, max) {
      const lo = Math.ceil(Math.min(min, max));
      const hi = Math.floor(Math.max(min, max));
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    uuid() {
      const hex: string[] = [];
      for (let i = 0; i < 32; i++) hex.push(Math.floor(next() * 16).toString(16));
      hex[12] = '4';
      hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    exponential(mean) {
      // Inverse-CDF sampling; 1 - u keeps log away from 0.
      return -Math.log(1 - next()) * mean;
    },
  };
}

/** Pick an item by relative weight (weights ≤ 0 are never picked unless all are). */
export function pickWeighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((s, i) => s + Math.max(0, i.weight), 0);
  if (total <= 0) return items[Math.floor(rng.next() * items.length)];
  let r = rng.next() * total;
  for (const item of items) {
    r -= Math.max(0, item.weight);
    if (r < 0) return item;
  }
  return items[items.length - 1];
}

/**
 * The same generator, with every UUID it yields remapped by `salt`. The
 * draws are unchanged, so a workload re-run on the same seed repeats its
 * arrivals, entrypoint picks and bodies exactly, while its request keys are
 * fresh: replaying the first attempt's idempotency keys would only exercise
 * the system's de-duplication path, not re-run the scenario. Salt 0 is the
 * identity (the first attempt).
 */
export function saltedUuids(rng: Rng, salt: number): Rng {
  if (salt === 0) return rng;
  const mask = seededRng(0x2f6b3a1d ^ salt);
  return {
    ...rng,
    uuid() {
      // Keep the version (index 14) and variant (index 19) digits so the result is still v4-shaped.
      return rng.uuid().replace(/[0-9a-f]/g, (c, i: number) => (i === 14 || i === 19 ? c : (parseInt(c, 16) ^ Math.floor(mask.next() * 16)).toString(16)));
    },
  };
}
