/**
 * One browser session against a real `faultline serve` app for a console
 * test file: builds the console, stores what `seed` puts in, listens on a
 * free port (reads open), opens a 1400×900 page in Debian's chromium and
 * collects every console error, page error and failed response, so a test
 * can assert the page stayed clean. Registers its own beforeAll/afterAll.
 */
import { afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { harness, type Harness } from '../src/harness.js';
import { launchChromium } from './browser.js';

/** Where the console tests' screenshots go. */
export const SHOTS = join('test-artifacts', 'console');

/** The live session; its fields are set once beforeAll has run. */
export interface ConsoleSession {
  h: Harness;
  url: string;
  page: Page;
  /** Console errors, page errors and 4xx/5xx responses seen so far. */
  errors: string[];
  /** Save a full-page screenshot as test-artifacts/console/<name>.png. */
  shot(name: string): Promise<unknown>;
}

/** Set up a session for the current test file. */
export function consoleSession(seed: (h: Harness) => Promise<void>): ConsoleSession {
  let browser: Browser | undefined;
  const s = { errors: [] as string[] } as unknown as ConsoleSession;
  beforeAll(async () => {
    execFileSync(process.execPath, ['console/build.mjs'], { stdio: 'ignore' });
    mkdirSync(SHOTS, { recursive: true });
    s.h = await harness();
    await seed(s.h);
    s.url = await s.h.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    s.page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    s.page.on('console', (m) => { if (m.type() === 'error') s.errors.push(m.text()); });
    s.page.on('pageerror', (e) => s.errors.push(e.message));
    s.page.on('response', (r) => { if (r.status() >= 400) s.errors.push(`${r.status()} ${r.url()}`); });
    s.shot = (name) => s.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  });
  afterAll(async () => {
    await browser?.close();
    await s.h?.app.close();
  });
  return s;
}
