/**
 * Recovery bound: after the fault ends the entrypoint is back inside its
 * baseline band (claims/recovery.ts) within `withinMs`.
 */
import { opsIn } from '../phase-metrics.js';
import { measureRecovery } from '../recovery.js';
import { insufficient, MIN_OPS, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { degradedSchema, durationMsSchema, entrypointSchema } from './schema-parts.js';

/** The recovery form. */
export const recoveryForm: ClaimForm<'recovery'> = {
  type: 'recovery',
  description: 'the entrypoint is back inside its baseline band within `withinMs` after the fault',
  schema: { properties: { entrypoint: entrypointSchema, withinMs: durationMsSchema, degraded: degradedSchema }, required: ['entrypoint', 'withinMs'] },
  entrypoints: (c) => [c.entrypoint],
  probe: () => undefined,
  reach: 'traffic',
  watched: false,
  families: familiesOf('recovery'),
  model: () => ({ historyFields: ['type', 'invokeMs', 'completeMs', 'ok', 'timeout'] }),
  observedPhases: () => ['recovery'],
  // Long enough to recover within the bound and then hold inside the band for a whole window.
  minRecoveryMs: (c, settings) => c.withinMs + settings.holdMs + settings.windowMs,
  check(claimId, check, history, settings) {
    const name = 'recovery';
    const base = opsIn(history, 'baseline', check.entrypoint).length;
    if (base < MIN_OPS) return insufficient(claimId, name, `only ${base} baseline ops of ${check.entrypoint}: no band to recover to (need ${MIN_OPS})`, base);
    const after = history.ops.filter((o) => o.type === check.entrypoint && o.invokeMs >= history.phases.fault.endMs).length;
    if (after < MIN_OPS) return insufficient(claimId, name, `only ${after} ops of ${check.entrypoint} after the fault ended (need ${MIN_OPS})`, base + after);
    const r = measureRecovery(history, check.entrypoint, settings);
    const anomalies =
      r.recoveredAfterMs === null
        ? [{ message: `${check.entrypoint} ${r.note ?? 'did not recover'} (band ${r.band}; claim: within ${check.withinMs} ms)` }]
        : r.recoveredAfterMs > check.withinMs
          ? [{ message: `${check.entrypoint} recovered after ${r.recoveredAfterMs} ms > ${check.withinMs} ms (band ${r.band})` }]
          : [];
    const extra = [r.recoveredAfterMs === null ? 'not recovered' : `recovered after ${r.recoveredAfterMs} ms (limit ${check.withinMs} ms)`];
    return report({ claimId, checker: name, consumed: base + after, anomalies, extra });
  },
  render: {
    text: (c) => `${c.entrypoint} back in baseline band within ${c.withinMs} ms`,
    subject: (c) => [c.entrypoint, 'recovers'],
    oracle: (c) => `the checker measures when ${c.entrypoint} re-enters its baseline band and fails past ${c.withinMs} ms`,
  },
};
