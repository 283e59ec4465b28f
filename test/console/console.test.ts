/**
 * The web console in a real browser: Debian's chromium driven by
 * playwright-core against a real `faultline serve` app (buildApp listening
 * on a free port, reads locked) holding a graph, a plan, a finished run and a
 * running one. Screenshots go to test-artifacts/console/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { auth, harness, TOKEN, type Harness } from '../src/harness.js';
import { KIND_COLORS } from '../../console/src/risk-scale.js';
import { launchChromium } from './browser.js';
import { EDGES, planFixture, storeFixture } from './console-fixture.js';
import { probeKinds } from './kind-probe.js';

const SHOTS = join('test-artifacts', 'console');

let h: Harness;
let url: string;
let browser: Browser;
let page: Page;
let finishedRun: string;
let errors: string[] = [];
const plan = planFixture();

beforeAll(async () => {
  execFileSync(process.execPath, ['console/build.mjs'], { stdio: 'ignore' });
  mkdirSync(SHOTS, { recursive: true });
  h = await harness({ FAULTLINE_READS_OPEN: 'false' });
  finishedRun = await storeFixture(h.store, plan);
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
});

afterAll(async () => {
  await browser?.close();
  await h?.app.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the web console', () => {
  it('asks for the token when reads are locked, then draws the graph with every node and edge', async () => {
    await page.goto(`${url}/`);
    await page.locator('#token-input').waitFor();
    // The 401 that made the console ask is logged by the browser itself; nothing else may be.
    expect(errors.every((e) => /status of 401|^401 /.test(e))).toBe(true);
    errors = [];
    await page.fill('#token-input', TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#sigma[data-drawn-ms]').waitFor();
    expect(await page.textContent('#graph-counts')).toBe('12 nodes, 15 edges');
    expect(await page.locator('#sigma canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('.legend').textContent()).toMatch(/service.*database.*cache.*queue.*external.*risk/);
    await shot('graph');
    expect(errors).toEqual([]);
  });

  it('tells node kinds apart by shape as well as colour, with a legend in words', async () => {
    const legend = await page.locator('#graph-legend li').allTextContents();
    expect(legend).toEqual(['service (circle) 8', 'database (square) 1', 'cache (diamond) 1', 'queue (triangle) 1', 'external (star) 1']);
    expect(await page.locator('#sigma').getAttribute('aria-describedby')).toBe('graph-legend graph-keys');
    const probes = await probeKinds(page, { service: 'gateway', database: 'orders', cache: 'sessions', queue: 'jobs', external: 'stripe' });
    for (const p of probes) {
      // Each node matches its legend pictogram on every probe point clear of the outline, in its kind's colour.
      expect(p.checked, p.kind).toBeGreaterThan(200);
      expect(p, p.kind).toMatchObject({ mismatches: 0, centre: KIND_COLORS[p.kind] });
    }
    expect(errors).toEqual([]);
  });

  it('filters the top risks and opens an edge\'s evidence from the risk list', async () => {
    await page.selectOption('#top-n', '5');
    expect(await page.textContent('#graph-counts')).toMatch(/^\d+ nodes, 5 edges$/);
    const first = page.locator('.risk-list button').first();
    expect(await first.getAttribute('data-edge')).toBe(EDGES[0]);
    await page.locator(`.risk-list button[data-edge="orders-svc->payments"]`).focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#side-panel');
    await panel.getByText('orders-svc->payments is synchronous and shows no timeout in the traces.').waitFor();
    expect(await panel.textContent()).toMatch(/p99.*error rate|error rate.*p99/s);
    await panel.getByText('checkout_recovers_from_payments_latency').waitFor();
    expect(await panel.textContent()).toContain('PASS-hardening');
    await page.selectOption('#top-n', '0');
    await page.selectOption('#entrypoint', 'gateway POST /checkout');
    expect(await page.textContent('#graph-counts')).toBe('4 nodes, 3 edges');
    await shot('graph-edge');
    expect(errors).toEqual([]);
  });

  it('shows the findings: verdict table and a timeline with the three phases per scenario', async () => {
    await page.goto(`${url}/#/findings/${finishedRun}`);
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('table').first().textContent()).toContain('FAIL-reproducible');
    const charts = page.locator('.chart[data-phases="baseline fault recovery"]');
    expect(await charts.count()).toBe(4);
    // The first scenario is drawn from its per-second series, the second from per-phase metrics.
    expect(await charts.nth(0).getAttribute('aria-label')).toMatch(/per 1 s across baseline 3 s, fault 5 s, recovery 6 s; fault window shaded; recovered 1.8 s after the fault/);
    expect(await charts.nth(2).getAttribute('aria-label')).toMatch(/per phase across baseline 3 s, fault 5 s, recovery 6 s; fault window shaded/);
    const rows = await page.locator('details table tbody tr td:first-child').allTextContents();
    expect(rows.slice(0, 3)).toEqual(['baseline', 'fault', 'recovery']);
    expect(await page.textContent('main')).toContain('faultline run plan.json --only charge_at_most_once_under_stripe_reset --seed 1');
    expect(await page.textContent('main')).toContain('key k-17 charged twice');
    await shot('findings');
    expect(errors).toEqual([]);
  });

  it('lists runs, plans and history', async () => {
    await page.goto(`${url}/#/runs`);
    await page.getByRole('link', { name: finishedRun }).waitFor();
    expect(await page.textContent('main')).toContain('1× PASS-hardening, 1× FAIL-reproducible');
    await page.goto(`${url}/#/plans`);
    await page.getByRole('link', { name: plan.id }).click();
    await page.getByRole('button', { name: 'Start a run' }).waitFor();
    expect(await page.textContent('main')).toContain('checkout_recovers_from_payments_latency');
    await shot('plan');
    await page.goto(`${url}/#/history`);
    await page.locator('.chart canvas').first().waitFor();
    // The change marker is a glyph for the eye and a word for screen readers.
    expect(await page.textContent('main')).toMatch(/▲\s*changed:\s*PASS-hardening/);
    await shot('history');
    expect(errors).toEqual([]);
  });

  it('follows a running run live and stops it with one click: the toxic is gone', async () => {
    let release!: () => void;
    h.executor.gate = new Promise<void>((r) => (release = r));
    await h.injector.ensureProxy({ name: 'payments', listen: '127.0.0.1:1', upstream: '127.0.0.1:2', enabled: true });
    await h.injector.addToxic('payments', { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 500 } });
    const res = await fetch(`${url}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: plan.id }) });
    const run = (await res.json()) as { id: string };
    await page.goto(`${url}/#/runs/${run.id}`);
    const row = page.locator('#run-live tbody tr').first();
    await row.locator('[data-stage="fault"]').waitFor();
    const elapsed = async () => (await row.locator('td').nth(3).textContent()) ?? '';
    const before = await elapsed();
    await expect.poll(elapsed, { timeout: 5000 }).not.toBe(before);
    expect(await page.textContent('#run-summary')).toMatch(/running: 0 of 2 scenarios finished, elapsed .*, about .* left/);
    await shot('run-live');
    expect(h.injector.activeToxics()).toBe(1);
    await page.getByRole('button', { name: 'Emergency stop' }).click();
    await page.getByText(/Emergency stop: 1 run\(s\) cancelled, every toxic removed/).waitFor();
    expect(h.injector.activeToxics()).toBe(0);
    await page.locator('#run-summary[data-status="cancelled"]').waitFor();
    await shot('run-stopped');
    release();
    expect(errors).toEqual([]);
  });
});
