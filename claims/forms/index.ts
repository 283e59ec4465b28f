/**
 * Every claim form, registered once. The mapped type makes the compiler
 * demand a complete ClaimForm for every `ClaimCheck['type']`: adding a form
 * to claims/claim.ts without its module here does not build. The check
 * schema (generators/claim-schema.ts), the checker dispatch
 * (claims/checkers/index.ts) and plan.md's rendering all read this table.
 */
import type { ClaimCheck } from '../claim.js';
import type { ClaimForm, ClaimType } from './form.js';
import { latencyForm } from './latency.js';
import { availabilityForm } from './availability.js';
import { recoveryForm } from './recovery.js';
import { atMostOnceForm } from './at-most-once.js';
import { exactlyOnceForm } from './exactly-once.js';
import { noLostAckForm } from './no-lost-ack.js';
import { conservationForm } from './conservation.js';
import { queueOrderForm } from './queue-order.js';
import { linearizableForm } from './linearizable.js';

export type { CheckOf, CheckRendering, CheckSchema, ClaimForm, ClaimType, ReachRule } from './form.js';

/** The forms, by type (this order is the docs' and the schema's order). */
export const CLAIM_FORMS: { [K in ClaimType]: ClaimForm<K> } = {
  latency: latencyForm,
  availability: availabilityForm,
  recovery: recoveryForm,
  'at-most-once': atMostOnceForm,
  'exactly-once': exactlyOnceForm,
  'no-lost-ack': noLostAckForm,
  conservation: conservationForm,
  'queue-order': queueOrderForm,
  linearizable: linearizableForm,
};

/** Every form type, in table order. */
export const CLAIM_TYPES = Object.keys(CLAIM_FORMS) as ClaimType[];

/** True when `type` names a registered form (a plan read from disk may carry anything). */
export function isClaimType(type: unknown): type is ClaimType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(CLAIM_FORMS, type);
}

/**
 * The form of a check, typed for that check. TypeScript cannot correlate
 * `CLAIM_FORMS[check.type]` with `check` across a union, so the one cast
 * lives here; the mapped type above is what guarantees it is right.
 */
export function formOf(check: ClaimCheck): ClaimForm<ClaimType> {
  return CLAIM_FORMS[check.type] as unknown as ClaimForm<ClaimType>;
}

/** The manifest entrypoints a check drives or reads. */
export function checkEntrypoints(check: ClaimCheck): string[] {
  return formOf(check).entrypoints(check);
}

/** The probe a check reads, if any. */
export function checkProbe(check: ClaimCheck): string | undefined {
  return formOf(check).probe(check);
}

/** A check in one line a person can read. */
export function checkText(check: ClaimCheck): string {
  return formOf(check).render.text(check);
}

/** The docs' claim-form table (README.md "The claim forms"), from each form's description. */
export function renderClaimFormTable(): string {
  return ['| check | what it means |', '|---|---|', ...CLAIM_TYPES.map((t) => `| \`${t}\` | ${CLAIM_FORMS[t].description} |`)].join('\n');
}
