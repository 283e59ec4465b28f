import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../generators/plan-render.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { ADOPTED, sampleInput, withApiProxy, withClaims } from './plan-input.js';

describe('plan Markdown', () => {
  it('has every section of the claim-driven structure, in order', async () => {
    const md = renderPlanMarkdown(await new RulePlanGenerator().generate(sampleInput()));
    const sections = ['## Architecture summary', '## Claims', '### User claims', '### Inferred claims', '## Missing claims', '## Failure hypotheses',
      '## Coverage matrix', '## Scenarios', '## Coverage adequacy', '## Residual uncertainty', '## Confidence statement', '## Generator'];
    const positions = sections.map((s) => md.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain('```mermaid\nflowchart LR');
  });

  it('shows each scenario with model, history schema, checkers, fault sizing, landing, phases, exit criteria and the proxy flag', async () => {
    const md = renderPlanMarkdown(await new RulePlanGenerator().generate(sampleInput(withClaims(withApiProxy(), ADOPTED.checkoutErrors))));
    const start = md.indexOf('### `orders_at_most_once_under_orders_response_lost`');
    expect(start).toBeGreaterThan(0);
    const block = md.slice(start, md.indexOf('### `', start + 5));
    expect(block).toContain('- **Model:** unique-key set');
    expect(block).toContain('- **History schema:** `key`, `input`, `path`, `ok`, `timeout`');
    expect(block).toContain('- **Checkers:** `checkout_at_most_once`: at-most-once over orders $.orders[*].requestKey for checkout');
    expect(block).toContain('- **Fault:** limit_data bytes=1 (downstream, toxicity 1) — family `response-lost`');
    expect(block).toContain('- **Sizing:** response-lost: answers from orders cut after 1 byte');
    expect(block).toContain('- **Landing evidence:** edge-errors: proxy api_to_orders counters');
    expect(block).toContain('- **Phases:** baseline 5000 ms → fault 10000 ms → recovery 15000 ms');
    expect(block).toContain('- **Needs faultline proxy:** no');
    expect(block).toContain('  - fault landed: ');
    // A scenario shared by two claims lists both checkers.
    expect(md).toMatch(/- \*\*Checkers:\*\* `checkout_errors_under_4pct`: errors\(checkout\) < 4\.0% in fault; `checkout_p99_under_800ms`: p99\(checkout\) < 800 ms in fault/);
  });

  it('says the plan is rule-based, or names the LLM, its tokens and the fallback reason', async () => {
    const plan = await new RulePlanGenerator().generate(sampleInput());
    expect(renderPlanMarkdown(plan)).toContain('Rule-based generator (deterministic for the same inputs).');
    const llm = renderPlanMarkdown({ ...plan, generator: { kind: 'rule', model: 'm-1', promptTokens: 120, completionTokens: 30, latencyMs: 42, fallbackReason: 'LLM answer is not JSON (5 chars)', dropped: [{ scenario: '#1 "x" on "e9" ("latency")', reason: 'unknown edge "e9"' }] } });
    expect(llm).toContain('LLM call: model `m-1`, 120 prompt + 30 completion tokens, 42 ms.');
    expect(llm).toContain('**Fallback to rules:** LLM answer is not JSON (5 chars)');
    expect(llm).toContain('unknown edge "e9"');
  });

  it('keeps telemetry text from breaking tables or injecting HTML', async () => {
    const input = sampleInput();
    const plan = await new RulePlanGenerator().generate(input);
    const md = renderPlanMarkdown({ ...plan, missingClaims: [{ subject: 'a|b', observation: 'line1\nline2 <script>', suggestedCategory: 'availability', suggestion: 's' }] });
    expect(md).toContain('| a\\|b | line1 line2 &lt;script&gt; | availability | s |');
  });
});
