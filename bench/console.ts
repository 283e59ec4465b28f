/**
 * The web console at scale, in Debian's chromium (playwright-core, WebGL in
 * SwiftShader) against two `faultline serve` apps (buildApp on free ports)
 * holding a graph of 1,000 services and one of 10, built by the same
 * function (test/console/console-fixture.ts) so they differ only in size:
 *
 * - first load: navigation start to sigma's first frame of the graph page
 *   (fetching the graph, building and laying it out, the first draw), each
 *   load in a fresh browser context;
 * - frame time: one frame of the whole graph (all edges shown, layout
 *   settled) while the camera zooms, from sigma's render() to the GPU having
 *   finished (a pixel read back from each WebGL context, so software
 *   rasterising is counted, not only issuing the draw calls), the median of
 *   FRAMES frames; and render() alone, the JavaScript side a GPU cannot speed up.
 *
 * Each figure is the median over RUNS interleaved runs, against the 10-service
 * graph measured in the same runs. Informational: the issue sets no target.
 *
 *   npm run bench -- console
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { harness, type Harness } from '../test/src/harness.js';
import { launchChromium } from '../test/console/browser.js';
import { serviceGraph } from '../test/console/console-fixture.js';
import type { BenchResult } from './result.js';

const RUNS = 5;
const FRAMES = 60;
const SIZES = [10, 1000] as const;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/** An app holding a graph of `services` services, listening on a free port; returns it and its URL. */
async function serve(services: number): Promise<{ h: Harness; url: string }> {
  const h = await harness();
  const { snapshot, ranking } = serviceGraph(services);
  await h.store.put('graphs', { id: 'graph-20250101T000000Z-ffffff', createdAt: '2025-01-01T00:00:00.000Z', snapshot, ranking });
  return { h, url: await h.app.listen({ host: '127.0.0.1', port: 0 }) };
}

/** Wait until sigma has drawn no frame for `quietMs`: the progressive layout of a big graph has settled. */
async function settled(page: Page, quietMs = 1000): Promise<void> {
  let last = -1;
  for (;;) {
    const frames = Number(await page.locator('#sigma').getAttribute('data-frames'));
    if (frames === last) return;
    last = frames;
    await page.waitForTimeout(quietMs);
  }
}

/**
 * Median time of one frame while the camera zooms in and out, in ms: `full`
 * until the GPU is done, `cpu` for sigma's render() alone (issuing the work).
 */
function frameMs(page: Page, frames: number): Promise<{ full: number; cpu: number }> {
  return page.locator('#sigma').evaluate((el, n) => {
    type GL = { RGBA: number; UNSIGNED_BYTE: number; readPixels(x: number, y: number, w: number, h: number, f: number, t: number, out: Uint8Array): void };
    type Sig = { getCamera(): { setState(s: object): void }; render(): void; webGLContexts: Record<string, GL> };
    const sigma = (el as unknown as { sigma: Sig }).sigma;
    const camera = sigma.getCamera();
    const gls = Object.values(sigma.webGLContexts);
    const pixel = new Uint8Array(4);
    const full: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < n; i += 1) {
      camera.setState({ ratio: 1 / (1 + (i % 20) / 10) });
      const t0 = performance.now();
      sigma.render();
      cpu.push(performance.now() - t0);
      // Reading a pixel back waits for the GPU (Chromium's gl.finish() does not).
      for (const gl of gls) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      full.push(performance.now() - t0);
    }
    camera.setState({ ratio: 1 });
    for (const xs of [full, cpu]) xs.sort((a, b) => a - b);
    return { full: full[Math.floor(n / 2)], cpu: cpu[Math.floor(n / 2)] };
  }, frames);
}

/** One load of the graph page in a fresh context: first-load ms, then the whole graph's frame ms. */
async function measure(browser: Browser, url: string): Promise<{ loadMs: number; frame: { full: number; cpu: number } }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/`);
    const sigma = page.locator('#sigma[data-drawn-at]');
    await sigma.waitFor({ timeout: 120_000 });
    const loadMs = Number(await sigma.getAttribute('data-drawn-at'));
    // A big graph opens on its top 50 risks; the frame time is of everything.
    await page.selectOption('#top-n', '0');
    await settled(page);
    return { loadMs, frame: await frameMs(page, FRAMES) };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  execFileSync(process.execPath, [join(root, 'console', 'build.mjs')], { stdio: 'ignore' });
  const apps = await Promise.all(SIZES.map(serve));
  const browser = await launchChromium();
  const loads: number[][] = SIZES.map(() => []);
  const frames: number[][] = SIZES.map(() => []);
  const cpu: number[][] = SIZES.map(() => []);
  try {
    // One unmeasured load each: the browser's first start-up and code caches would land on one side only.
    for (const { url } of apps) await measure(browser, url);
    for (let r = 0; r < RUNS; r += 1) {
      for (const [i, { url }] of apps.entries()) {
        const m = await measure(browser, url);
        loads[i].push(m.loadMs);
        frames[i].push(m.frame.full);
        cpu[i].push(m.frame.cpu);
      }
    }
  } finally {
    await browser.close();
    for (const { h } of apps) await h.app.close();
  }
  const figure = (name: string, xs: number[][], digits: number): BenchResult => {
    const [base, value] = [median(xs[0]), median(xs[1])];
    return { name, value, unit: 'ms', baseline: base, ratio: value / base, note: `${RUNS} interleaved runs; 1,000: ${range(xs[1], digits)} ms, 10: ${range(xs[0], digits)} ms` };
  };
  return [
    figure('console first load (navigation → graph drawn), 1,000 vs 10 services (median)', loads, 0),
    figure(`console frame time of the whole graph (render + GPU done, median of ${FRAMES}), 1,000 vs 10 services (median)`, frames, 1),
    figure(`console frame, sigma's render() alone (the CPU side), 1,000 vs 10 services (median)`, cpu, 2),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.value.toFixed(1)} ${r.unit} vs ${r.baseline?.toFixed(1)} (${r.ratio?.toFixed(2)}×); ${r.note}\n`);
}
