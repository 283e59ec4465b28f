/**
 * Availability: the error rate of an entrypoint's ops invoked in a phase
 * stays at or under a bound. A timeout is unavailability from the user's
 * view, so it counts as an error here; it is also reported separately so a
 * reviewer can tell "answered 503" from "never answered".
 */
import { opsIn } from '../phase-metrics.js';
import { insufficient, MIN_OPS, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { degradedSchema, entrypointSchema, phaseSchema } from './schema-parts.js';

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** The availability form. */
export const availabilityForm: ClaimForm<'availability'> = {
  type: 'availability',
  description: 'error rate of an entrypoint stays under `maxErrorRate` in a phase',
  schema: {
    properties: { entrypoint: entrypointSchema, maxErrorRate: { type: 'number', minimum: 0, maximum: 1 }, phase: phaseSchema, degraded: degradedSchema },
    required: ['entrypoint', 'maxErrorRate', 'phase'],
  },
  entrypoints: (c) => [c.entrypoint],
  probe: () => undefined,
  reach: 'traffic',
  watched: false,
  families: familiesOf('availability'),
  model: () => ({ historyFields: ['type', 'epoch', 'ok', 'status', 'error', 'timeout'] }),
  observedPhases: (c) => [c.phase],
  check(claimId, check, history) {
    const name = 'availability';
    const ops = opsIn(history, check.phase, check.entrypoint);
    if (ops.length === 0) return insufficient(claimId, name, `no ops of ${check.entrypoint} in the ${check.phase} phase`);
    if (ops.length < MIN_OPS) return insufficient(claimId, name, `only ${ops.length} ops of ${check.entrypoint} in the ${check.phase} phase (need ${MIN_OPS})`, ops.length);
    const failed = ops.filter((o) => !o.ok);
    const timeouts = failed.filter((o) => o.timeout).length;
    const rate = failed.length / ops.length;
    const detail = `error rate ${pct(rate)} (limit ${pct(check.maxErrorRate)}): ${failed.length - timeouts} errors, ${timeouts} timeouts`;
    const anomalies =
      rate <= check.maxErrorRate
        ? []
        : [{ message: `error rate of ${check.entrypoint} in the ${check.phase} phase was ${pct(rate)} > ${pct(check.maxErrorRate)}`, ops: failed.map((o) => o.id) }];
    return report({ claimId, checker: name, consumed: ops.length, anomalies, extra: [detail] });
  },
  render: {
    text: (c) => `errors(${c.entrypoint}) < ${(c.maxErrorRate * 100).toFixed(1)}% in ${c.phase}`,
    subject: (c) => [c.entrypoint, 'errors'],
    oracle: (c) => `unmitigated errors push ${c.entrypoint}'s error rate above ${(c.maxErrorRate * 100).toFixed(1)}% in the ${c.phase} phase; timeouts count as errors`,
  },
};
