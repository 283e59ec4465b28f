/**
 * Latency SLO: the pNN latency of an entrypoint's ops invoked in a phase
 * stays at or under a threshold. Every op counts: a failed response at the
 * time it arrived, a timeout at the time the client gave up (the user waited
 * at least that long, so a timeout can only push the percentile up).
 */
import type { ClaimCheck } from '../claim.js';
import type { History } from '../history.js';
import { latencyOf, opsIn, percentile, sortedLatencies } from '../phase-metrics.js';
import type { CheckResult } from '../check-result.js';
import { insufficient, MIN_OPS, report } from './report.js';

type LatencyCheck = Extract<ClaimCheck, { type: 'latency' }>;

/** Check a latency claim over the ops of its phase. */
export function checkLatency(claimId: string, check: LatencyCheck, history: History): CheckResult {
  const name = 'latency';
  const ops = opsIn(history, check.phase, check.entrypoint);
  if (ops.length === 0) return insufficient(claimId, name, `no ops of ${check.entrypoint} in the ${check.phase} phase`);
  if (ops.length < MIN_OPS) return insufficient(claimId, name, `only ${ops.length} ops of ${check.entrypoint} in the ${check.phase} phase (need ${MIN_OPS})`, ops.length);
  const value = percentile(sortedLatencies(ops), check.percentile);
  const timeouts = ops.filter((o) => o.timeout).length;
  const measured = `p${check.percentile} ${Math.round(value)} ms (limit ${check.thresholdMs} ms)`;
  const anomalies =
    value <= check.thresholdMs
      ? []
      : [
          {
            message: `p${check.percentile} of ${check.entrypoint} in the ${check.phase} phase was ${Math.round(value)} ms > ${check.thresholdMs} ms`,
            ops: ops
              .filter((o) => latencyOf(o) > check.thresholdMs)
              .sort((a, b) => latencyOf(b) - latencyOf(a))
              .map((o) => o.id),
          },
        ];
  return report({ claimId, checker: name, consumed: ops.length, anomalies, extra: [measured, ...(timeouts ? [`${timeouts} timeouts counted at their wait`] : [])] });
}
