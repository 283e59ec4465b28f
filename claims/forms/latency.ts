/**
 * Latency SLO: the pNN latency of an entrypoint's ops invoked in a phase
 * stays at or under a threshold. Every op counts: a failed response at the
 * time it arrived, a timeout at the time the client gave up (the user waited
 * at least that long, so a timeout can only push the percentile up).
 */
import { latencyOf, opsIn, percentile, sortedLatencies } from '../phase-metrics.js';
import { insufficient, MIN_OPS, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { degradedSchema, entrypointSchema, phaseSchema } from './schema-parts.js';

/** The latency form. */
export const latencyForm: ClaimForm<'latency'> = {
  type: 'latency',
  description: 'pNN of an entrypoint stays under `thresholdMs` in a phase',
  schema: {
    properties: {
      entrypoint: entrypointSchema,
      percentile: { enum: [50, 90, 95, 99] },
      thresholdMs: { type: 'number', exclusiveMinimum: 0, maximum: 3_600_000 },
      phase: phaseSchema,
      degraded: degradedSchema,
    },
    required: ['entrypoint', 'percentile', 'thresholdMs', 'phase'],
  },
  entrypoints: (c) => [c.entrypoint],
  probe: () => undefined,
  reach: 'traffic',
  watched: false,
  families: familiesOf('latency'),
  model: () => ({ historyFields: ['type', 'epoch', 'invokeMs', 'completeMs', 'ok', 'timeout'] }),
  observedPhases: (c) => [c.phase],
  check(claimId, check, history) {
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
  },
  render: {
    text: (c) => `p${c.percentile}(${c.entrypoint}) < ${c.thresholdMs} ms in ${c.phase}`,
    subject: (c) => [c.entrypoint, `p${c.percentile}`],
    oracle: (c) => `if the fault reaches ${c.entrypoint} unmitigated its p${c.percentile} exceeds ${c.thresholdMs} ms in the ${c.phase} phase, which the checker reads from every operation's invoke/complete times`,
  },
};
