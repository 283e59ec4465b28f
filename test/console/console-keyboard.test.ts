/**
 * The graph page without a mouse, in a real browser: every control in Tab
 * order with a visible focus ring, the finder's lists opening an edge's or a
 * service's panel (camera on it, focus on its heading), Escape closing the
 * panel back to where the user was, and the focused canvas panning and
 * zooming from the keys. Screenshots: test-artifacts/console/graph-keyboard-*.png.
 */
import { describe, expect, it } from 'vitest';
import { planFixture, storeFixture } from './console-fixture.js';
import { consoleSession } from './session.js';

const s = consoleSession(async (h) => { await storeFixture(h.store, planFixture()); });

// Run in the page (the server's tsconfig has no DOM types): the focused element as `#id`, `edge:…`, `node:…` or `tag:text`.
const FOCUSED = `(() => { const a = document.activeElement; if (!a) return ''; if (a.id) return '#' + a.id;
  if (a.dataset.edge) return 'edge:' + a.dataset.edge; if (a.dataset.node) return 'node:' + a.dataset.node;
  return a.tagName.toLowerCase() + ':' + a.textContent.trim(); })()`;
const focused = () => s.page.evaluate(FOCUSED) as Promise<string>;
const ring = () => s.page.evaluate('getComputedStyle(document.activeElement).outlineStyle') as Promise<string>;
type Cam = { x: number; y: number; ratio: number };
const camera = () => s.page.evaluate('document.getElementById("sigma").sigma.getCamera().getState()') as Promise<Cam>;
/** Where node `id` is drawn, in CSS pixels from the canvas's top left corner. */
const at = (id: string) => s.page.evaluate(`(() => { const g = document.getElementById('sigma').sigma;
  return g.framedGraphToViewport(g.getNodeDisplayData(${JSON.stringify(id)})); })()`) as Promise<{ x: number; y: number }>;
const settle = () => s.page.waitForTimeout(500);

describe('the graph page from the keyboard', () => {
  it('reaches every control with Tab in reading order, each with a visible focus ring', async () => {
    await s.page.goto(`${s.url}/`);
    await s.page.locator('#sigma[data-drawn-ms]').waitFor();
    const stops: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      await s.page.keyboard.press('Tab');
      stops.push(await focused());
      expect(await ring(), stops[i]).toBe('solid');
    }
    expect(stops).toEqual(['a:Skip to content', 'a:Graph', 'a:Plans', 'a:Runs', 'a:History', '#stop', '#top-n', '#entrypoint', '#graph-find',
      'node:auth', 'edge:web->gateway', '#sigma']);
    expect(s.errors).toEqual([]);
  });

  it("opens an edge's panel from the keyboard and closes it with Escape, back where it was", async () => {
    await s.page.focus('#graph-find');
    await s.page.keyboard.type('payments');
    expect(await s.page.textContent('#find-count')).toBe('1 service, 3 edges match “payments”');
    await s.page.keyboard.press('Tab');
    expect(await focused()).toBe('node:payments');
    await s.page.keyboard.press('Tab');
    expect(await focused()).toBe('edge:orders-svc->payments');
    await s.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('edge:payments->stripe');
    await s.page.keyboard.press('Enter');
    expect(await focused()).toBe('#edge-title');
    const panel = s.page.locator('#side-panel');
    await panel.getByText('payments->stripe is synchronous and shows no timeout in the traces.').waitFor();
    await panel.getByText('charge_at_most_once_under_stripe_reset').waitFor();
    await settle();
    // The camera went to the edge: both its ends are on the canvas.
    const box = (await s.page.locator('#sigma').boundingBox())!;
    for (const end of ['payments', 'stripe']) {
      const p = await at(end);
      expect(p.x, end).toBeGreaterThan(0);
      expect(p.x, end).toBeLessThan(box.width);
      expect(p.y, end).toBeGreaterThan(0);
      expect(p.y, end).toBeLessThan(box.height);
    }
    await s.shot('graph-keyboard-edge');
    await s.page.keyboard.press('Escape');
    expect(await panel.textContent()).toMatch(/^×?Pick a service or an edge/);
    expect(await focused()).toBe('edge:payments->stripe');
    expect(await s.page.locator('[aria-pressed="true"]').count()).toBe(0);
    expect(s.errors).toEqual([]);
  });

  it("finds a service by name and walks from its panel to the edges it is called by", async () => {
    await s.page.fill('#graph-find', '');
    await s.page.focus('#graph-find');
    await s.page.keyboard.type('stripe');
    // The list says each service's kind in words, as the canvas says it by shape and colour.
    expect(await s.page.textContent('.pick-list')).toBe('stripe — external');
    await s.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('node:stripe');
    await s.page.keyboard.press('Enter');
    expect(await focused()).toBe('#node-title');
    const panel = s.page.locator('#side-panel');
    expect(await panel.textContent()).toMatch(/kindexternal \(drawn as a star\).*Called by \(2\)payments->stripemailer->stripe.*Calls \(0\)/);
    await settle();
    await s.shot('graph-keyboard-node');
    await s.page.keyboard.press('Tab');
    expect(await focused()).toBe('edge:payments->stripe');
    await s.page.keyboard.press('Enter');
    expect(await focused()).toBe('#edge-title');
    expect(await s.page.textContent('#edge-title')).toBe('payments->stripe');
    // Escape goes back to the service the walk started from, not to the panel's vanished button.
    await s.page.keyboard.press('Escape');
    expect(await focused()).toBe('node:stripe');
    expect(s.errors).toEqual([]);
  });

  it('opens a service\'s panel when its node is clicked', async () => {
    await s.page.focus('#sigma');
    await s.page.keyboard.press('0');
    await settle();
    const box = (await s.page.locator('#sigma').boundingBox())!;
    const p = await at('gateway');
    await s.page.mouse.click(box.x + p.x, box.y + p.y);
    await s.page.locator('#node-title', { hasText: 'gateway' }).waitFor();
    expect(await s.page.locator('#side-panel').textContent()).toContain('Calls (4)');
    await s.page.keyboard.press('Escape');
  });

  it('pans and zooms the focused graph with the arrow keys, + and -, and resets with 0', async () => {
    await s.page.focus('#sigma');
    await s.page.keyboard.press('0');
    await settle();
    const start = await camera();
    const gateway = await at('gateway');
    await s.page.keyboard.press('ArrowRight');
    await settle();
    // The view moved right, so the drawing moved left.
    expect((await camera()).x).toBeCloseTo(start.x + 0.1 * start.ratio, 5);
    expect((await at('gateway')).x).toBeLessThan(gateway.x - 10);
    await s.page.keyboard.press('ArrowUp');
    await settle();
    expect((await camera()).y).toBeCloseTo(start.y + 0.1 * start.ratio, 5);
    expect((await at('gateway')).y).toBeGreaterThan(gateway.y + 10);
    await s.page.keyboard.press('+');
    await settle();
    expect((await camera()).ratio).toBeLessThan(start.ratio);
    await s.shot('graph-keyboard-canvas');
    await s.page.keyboard.press('-');
    await s.page.keyboard.press('-');
    await settle();
    expect((await camera()).ratio).toBeGreaterThan(start.ratio);
    await s.page.keyboard.press('0');
    await settle();
    expect(await camera()).toMatchObject({ x: 0.5, y: 0.5, ratio: 1 });
    expect(await focused()).toBe('#sigma');
    expect(s.errors).toEqual([]);
  });
});
