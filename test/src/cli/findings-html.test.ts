/**
 * findings.html: self-contained (uPlot inlined, no URL fetched), one chart
 * per scenario that ran, telemetry text escaped — and, in Debian's chromium
 * through playwright-core, the charts really draw with no script error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findingsHtml } from '../../../src/cli/findings-html.js';
import type { Findings, ScenarioResult } from '../../../runners/record/result.js';
import { timelineOf } from '../../../runners/record/timeline.js';
import { findingsFor, plan } from '../fakes.js';
import { history, spread } from '../../support/history-build.js';

const SHOTS = join('test-artifacts', 'findings-html');
const ESC = '\u001b';

function findings(): Findings {
  const p = plan([
    { id: 'checkout_under_payments_latency', edge: 'orders->payments', claims: ['checkout_p99'] },
    { id: `stock_</script><script>alert(1)</script>${ESC}]0;x\u0007`, edge: 'orders->stock', claims: ['stock_available'] },
    { id: 'not_run_scenario', edge: 'orders->mail', claims: ['mail_sent'] },
  ]);
  const f = findingsFor(p, 'run-1', { checkout_under_payments_latency: 'FAIL-reproducible', not_run_scenario: 'INCONCLUSIVE-env' }, { checkout_under_payments_latency: 2500 });
  const slow = history([...spread(100, 0, 10_000), ...spread(100, 10_000, 20_000, (i, at) => ({ completeMs: at + 500, ok: i % 3 !== 0 })), ...spread(100, 20_000, 30_000)]);
  const ok = history([...spread(100, 0, 10_000), ...spread(100, 10_000, 20_000), ...spread(100, 20_000, 30_000)]);
  const withTimeline = (r: ScenarioResult, h: ReturnType<typeof history>): ScenarioResult => ({
    ...r,
    timeline: timelineOf(h),
    metrics: [
      { phase: 'baseline', ops: 100, throughputPerSec: 10, errorRate: 0, timeouts: 0, p50Ms: 10, p95Ms: 10, p99Ms: 10 },
      { phase: 'fault', ops: 100, throughputPerSec: 6.6, errorRate: 0.34, timeouts: 0, p50Ms: 500, p95Ms: 500, p99Ms: 500 },
      { phase: 'recovery', ops: 100, throughputPerSec: 10, errorRate: 0, timeouts: 0, p50Ms: 10, p95Ms: 10, p99Ms: 10 },
    ],
  });
  f.results[0] = withTimeline(f.results[0], slow);
  f.results[1] = withTimeline(f.results[1], ok);
  f.results[2] = { ...f.results[2], envProblem: 'precheck failed: GET /health answered 503' };
  return f;
}

function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("no chromium on the PATH: install Debian's chromium package (.ci/run does)");
}

describe('findings.html', () => {
  it('has one chart per scenario that ran, and says why one did not', async () => {
    const page = await findingsHtml(findings());
    expect(page.match(/<figure class="timeline"/g)).toHaveLength(2);
    expect(page.match(/<div class="chart" id="chart-\d+" role="img" aria-label="Timeline of/g)).toHaveLength(2);
    expect(page).toContain('No timeline: precheck failed: GET /health answered 503.');
    const island = JSON.parse(/<script type="application\/json" id="timelines">([\s\S]*?)<\/script>/.exec(page)![1]) as { element: string; faultStartMs: number; recoveredAtMs: number | null }[];
    expect(island.map((c) => c.element)).toEqual(['chart-0', 'chart-1']);
    // The recovery point is drawn where the fault ended plus the measured recovery time.
    expect(island[0]).toMatchObject({ faultStartMs: 10_000, recoveredAtMs: 22_500 });
  });

  it('is self-contained: uPlot inlined, no external script, stylesheet, image or font', async () => {
    const page = await findingsHtml(findings());
    expect(page).toContain('uPlot');
    expect(page).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i);
    expect(page).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import/i);
  });

  it('escapes telemetry text: a scenario id cannot close a script or reach the terminal', async () => {
    const page = await findingsHtml(findings());
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('stock_&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain(ESC);
    // Exactly the three script elements of the page: the JSON island, uPlot and the chart script.
    expect(page.match(/<script\b/g)).toHaveLength(3);
  });

  it('draws every chart in a real browser, with no script error and nothing fetched', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, 'findings.html');
    writeFileSync(file, await findingsHtml(findings()));
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('#chart-1 canvas');
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(await page.locator('figure.timeline canvas').count()).toBe(2);
      // The legend names the series a reviewer reads: latency percentiles, errors and throughput.
      const legend = await page.locator('#chart-0 .u-legend').innerText();
      for (const s of ['p50 ms', 'p99 ms', 'errors %', 'ok/s']) expect(legend).toContain(s);
      await page.screenshot({ path: join(SHOTS, 'findings.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
