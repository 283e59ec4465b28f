import { describe, expect, it } from 'vitest';
import { verdictTable } from '../../../src/cli/commands/run-report.js';
import type { Findings, ScenarioResult } from '../../../runners/record/result.js';

function result(id: string, verdict: ScenarioResult['verdict'], blame: ScenarioResult['blame']): ScenarioResult {
  return {
    scenarioId: id, claims: ['c'], verdict, verdictPath: [], checks: [], metrics: [], boundaries: [],
    landing: { proven: true, source: 'proxy-counters', evidence: ['toxic t touched 3 connections'] },
    blame, blameReason: '', seed: 1, attempts: 1, durationMs: 1,
  };
}

describe('verdict table', () => {
  it('shows blame for a finding and a dash for a pass, which has nothing to blame', () => {
    const findings = {
      results: [result('a_fails', 'FAIL-reproducible', 'SUT'), result('b_passes', 'PASS-hardening', 'unknown')],
    } as unknown as Findings;
    const table = verdictTable(findings);
    expect(table).toMatch(/a_fails\s+FAIL-reproducible\s+SUT\s/);
    expect(table).toMatch(/b_passes\s+PASS-hardening\s+—\s/);
  });
});
