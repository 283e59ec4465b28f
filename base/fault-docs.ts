/**
 * docs/faults.md, rendered from the fault table (base/faults.ts). The page
 * is checked in and a test compares it with this rendering, so the docs
 * cannot drift from what plans, the LLM and the proxy actually accept.
 */
import { FAULT_TYPES, LANDING_EVIDENCE, faultOf, type FaultAttribute, type FaultType } from './faults.js';

/** `latency` ms 0..60000, default 0: delay added to every chunk */
export function describeAttribute(name: string, a: FaultAttribute): string {
  return `\`${name}\` ${a.unit} ${a.min}..${a.max}, default ${a.default}: ${a.meaning}`;
}

const TOXICITY_TEXT = { connection: 'per connection', request: 'per HTTP request', proxy: 'whole proxy (toxicity ignored)' } as const;

function row(type: FaultType): string {
  const f = faultOf(type);
  const attrs = Object.entries(f.attributes).map(([n, a]) => describeAttribute(n, a));
  const notes = [f.faultlineOnly ? 'faultline proxy only' : '', f.stream ? `${f.stream} stream only` : ''].filter(Boolean);
  const cells = [
    `\`${type}\`${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    f.description,
    attrs.length > 0 ? attrs.join('<br>') : 'none',
    TOXICITY_TEXT[f.toxicity],
    f.landing.map((l) => `\`${l}\``).join(', '),
    f.reason,
  ];
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** The whole of docs/faults.md. */
export function renderFaultsMarkdown(): string {
  return [
    '# Faults',
    '',
    '<!-- Generated from base/faults.ts by renderFaultsMarkdown (base/fault-docs.ts); test/base/faults.test.ts fails when this page and the table differ. -->',
    '',
    'Every fault a plan may use. Attribute names and units are Toxiproxy\'s, so a plan drives a real',
    'Toxiproxy unchanged; bounds are faultline\'s and a plan outside them is rejected naming the',
    'attribute. Toxicity is the probability that a connection (or, for per-request toxics, an HTTP',
    'request) is affected. `down` and `flap` act on the whole proxy: the runner disables it (with a',
    'TTL, so it comes back by itself if the runner dies) and, for `flap`, enables it again on a timer.',
    '',
    '| type | what it does | attributes (unit, bounds, default) | toxicity | landing evidence | why a plan uses it |',
    '|---|---|---|---|---|---|',
    ...FAULT_TYPES.map(row),
    '',
    '## Landing evidence',
    '',
    '| evidence | what is observed |',
    '|---|---|',
    ...Object.entries(LANDING_EVIDENCE).map(([k, v]) => `| \`${k}\` | ${v} |`),
    '',
  ].join('\n');
}
