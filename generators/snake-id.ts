/**
 * Identifiers derived from names in the graph or manifest (claim ids,
 * scenario names, proxy names): lower snake case starting with a letter, the
 * shape the claim and plan schemas require.
 */

/** `kafka:order-events` → `kafka_order_events`; `9lives` → `x_9lives`. */
export function snake(s: string): string {
  const out = s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(out) ? out : `x_${out}`;
}
