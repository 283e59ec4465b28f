/**
 * The console's entry: a hash router over the pages (graph, plans, runs,
 * findings, history), the token prompt when the API answers 401, and the
 * emergency stop in the header, one click away on every page.
 */
import { ApiError, postJson, token } from './api.js';
import { h } from './dom.js';
import { say, showError, showTokenPrompt, TOKEN_EVENT } from './problem-view.js';
import { graphPage } from './pages/graph.js';
import { plansPage, planPage } from './pages/plans.js';
import { runsPage, runPage } from './pages/runs.js';
import { findingsPage } from './pages/findings.js';
import { historyPage } from './pages/history.js';

/** A page draws into `main` and may return a cleanup (close streams, free WebGL). */
export type Page = (main: HTMLElement, arg: string | undefined) => Promise<(() => void) | void>;

const ROUTES: [RegExp, Page, string][] = [
  [/^#?\/?(graph)?$/, graphPage, 'graph'],
  [/^#\/plans$/, plansPage, 'plans'],
  [/^#\/plans\/(.+)$/, planPage, 'plans'],
  [/^#\/runs$/, runsPage, 'runs'],
  [/^#\/runs\/(.+)$/, runPage, 'runs'],
  [/^#\/findings\/(.+)$/, findingsPage, 'runs'],
  [/^#\/history$/, historyPage, 'history'],
];

let cleanup: (() => void) | void;

async function render(): Promise<void> {
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  const main = document.getElementById('main')!;
  const hash = location.hash;
  const route = ROUTES.find(([re]) => re.test(hash)) ?? ROUTES[0];
  const m = route[0].exec(hash);
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.getAttribute('href') === `#/${route[2]}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.getElementById('token-state')!.textContent = token() ? 'token set' : '';
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    cleanup = await route[1](main, m?.[1] ? decodeURIComponent(m[1]) : undefined);
  } catch (err) {
    showError(err, main);
  }
}

async function stop(): Promise<void> {
  try {
    const r = await postJson<{ cancelled: string[]; reset: boolean }>('/v1/stop');
    say(`Emergency stop: ${r.cancelled.length} run(s) cancelled, every toxic removed.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showTokenPrompt('The emergency stop needs an API token.');
    say(h('span', { role: 'alert' }, `Stop failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

document.getElementById('stop')!.addEventListener('click', () => void stop());
window.addEventListener('hashchange', () => void render());
window.addEventListener(TOKEN_EVENT, () => void render());
void render();
