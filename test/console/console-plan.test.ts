/**
 * The plan page's coverage matrix in a real browser, on a plan of forty
 * scenarios: claims (and missing claims, marked) by scenarios, each cell
 * naming the fault of a scenario that targets the claim, as a table a screen
 * reader can walk; it scrolls sideways with the claim column held in place.
 * Screenshots: test-artifacts/console/plan-matrix*.png.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { planFixture, storeFixture, widePlanFixture } from './console-fixture.js';
import { consoleSession, SHOTS } from './session.js';

const SCENARIOS = 40;
const wide = widePlanFixture(SCENARIOS);
const s = consoleSession(async (h) => {
  await storeFixture(h.store, planFixture());
  await h.store.put('plans', wide);
});

describe('the coverage matrix', () => {
  it('shows which scenario targets which claim in the coverage matrix', async () => {
    await s.page.goto(`${s.url}/#/plans/${wide.id}`);
    const matrix = s.page.locator('#coverage-matrix table');
    await matrix.waitFor();
    expect(await matrix.locator('caption').textContent()).toMatch(/^Coverage matrix of plan plan-wide: claims \(rows\) by scenarios \(columns\)/);
    const cols = await matrix.locator('thead th[scope="col"]').allTextContents();
    expect(cols).toEqual(['claim', ...wide.scenarios.map((x) => x.id)]);
    // Six claims, then the two missing ones, each a row header.
    const rows = await matrix.locator('tbody th[scope="row"]').allTextContents();
    expect(rows).toEqual(['checkout_recovers', 'charge_at_most_once', 'order_acked_is_kept', 'search_degrades', 'login_survives_cache_loss',
      'stock_never_negativenot covered', 'missing claimidempotency on payments->stripe', 'missing claimperformance-slo on gateway POST /checkout']);
    // Every cell agrees with the plan: the fault's family where the scenario targets the claim, empty elsewhere.
    for (const claim of wide.claims) {
      const cells = await matrix.locator(`tr[data-claim="${claim.id}"] td`).allTextContents();
      expect(cells, claim.id).toEqual(wide.scenarios.map((x) => (x.claims.includes(claim.id) ? `${x.fault.toxic} (targets this claim)` : '')));
    }
    expect(await matrix.locator('tr[data-claim="stock_never_negative"] td.hit').count()).toBe(0);
    // The missing idempotency claim's edge is faulted by scenarios nobody checks it in; the entrypoint's by none.
    const near = await matrix.locator('tr[data-missing="payments->stripe"] td.near').count();
    expect(near).toBe(wide.scenarios.filter((x) => x.target.edge === 'payments->stripe').length);
    expect(near).toBeGreaterThan(0);
    expect(await matrix.locator('tr[data-missing="gateway POST /checkout"] td.near').count()).toBe(0);
    await s.page.getByText('Risks and notes per claim').click();
    await s.page.getByText('no scenario reaches the stock service').waitFor();
    await s.shot('plan-matrix');
    // The page itself never scrolls sideways: only the matrix does.
    expect(await s.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1400);
    await s.page.locator('#coverage-matrix').screenshot({ path: join(SHOTS, 'plan-matrix-region.png') });
    expect(s.errors).toEqual([]);
  });

  it('keeps the claim column in view while forty scenarios scroll sideways, also from the keyboard', async () => {
    const region = s.page.locator('#coverage-matrix');
    const claimCell = region.locator('tbody th[scope="row"]').first();
    const before = (await claimCell.boundingBox())!;
    const lastCol = region.locator('thead th[scope="col"]').last();
    const box = (await region.boundingBox())!;
    expect((await lastCol.boundingBox())!.x).toBeGreaterThan(box.x + box.width);
    // The region takes focus, so the arrow keys scroll it without a mouse.
    await region.focus();
    for (let i = 0; i < 80; i += 1) await s.page.keyboard.press('ArrowRight');
    await s.page.waitForTimeout(300);
    expect(await region.evaluate((el) => (el as unknown as { scrollLeft: number }).scrollLeft)).toBeGreaterThan(500);
    const after = (await claimCell.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(2);
    const last = (await lastCol.boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(box.x + box.width + 1);
    await region.screenshot({ path: join(SHOTS, 'plan-matrix-scrolled.png') });
    expect(s.errors).toEqual([]);
  });
});
