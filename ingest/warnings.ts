/**
 * Counted ingest warnings. Messy traces are repaired or skipped and counted
 * here, never silently dropped and never fatal (jaeger-ui's trace transform
 * keeps the trace and attaches warnings; we keep counts so memory stays flat).
 */
export class IngestWarnings {
  private readonly counts = new Map<string, number>();

  /** Count `n` occurrences of a reason, e.g. `skipped span: missing trace id`. */
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  /** Fold another collector's counts into this one. */
  merge(other: IngestWarnings): void {
    for (const [reason, n] of other.counts) this.add(reason, n);
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }

  /** Reason → count, sorted by count descending (JSON-serialisable). */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
  }

  /** Human lines: `3× skipped span: missing trace id`. */
  lines(): string[] {
    return Object.entries(this.toJSON()).map(([reason, n]) => `${n}× ${reason}`);
  }
}
