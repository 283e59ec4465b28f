/**
 * Every human output shows telemetry text without its control characters
 * (issue 12, item 10): plan.md, findings.md and the Slack digest, which a
 * reader may `cat` or see in a terminal client, as well as the tables.
 */
import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../../generators/plan-render.js';
import { renderFindingsMarkdown } from '../../../runners/record/findings-render.js';
import { buildDigest } from '../../../src/sweeps/digest.js';
import type { SweepRecord } from '../../../src/store/artifact-store.js';
import { findingsFor, plan } from '../fakes.js';

const ESC = '\u001b';
const HOSTILE = `pay${ESC}]0;pwned\u0007${ESC}[2Jments`;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const p = plan([{ id: `checkout_under_${HOSTILE}_latency`, edge: `orders->${HOSTILE}`, claims: ['checkout_p99'] }], `shop${ESC}[31m`);
const f = findingsFor(p, 'run-1', { [p.scenarios[0].id]: 'FAIL-reproducible' });

describe('telemetry text in reports', () => {
  it('plan.md keeps its lines and loses the escapes', () => {
    const md = renderPlanMarkdown(p);
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('checkout_under_payments_latency');
    expect(md.split('\n').length).toBeGreaterThan(10);
  });

  it('findings.md keeps its lines and loses the escapes', () => {
    const md = renderFindingsMarkdown(f, p);
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('checkout_under_payments_latency');
  });

  it('the Slack digest loses the escapes in every block', () => {
    const sweep: SweepRecord = { id: 'sweep-1', startedAt: f.startedAt, status: 'succeeded', trigger: 'cli', system: `shop${ESC}]0;x\u0007`, claims: [], runId: 'run-1' };
    const digest = buildDigest({ sweep, findings: f, previous: [] });
    const text = JSON.stringify(digest);
    expect(JSON.parse(text)).toEqual(digest);
    expect([digest.text, ...digest.blocks.map((b) => JSON.stringify(b))].join('\n')).not.toMatch(/\\u001b|\\u0007/);
    expect(text).toContain('checkout_under_payments_latency');
  });
});
