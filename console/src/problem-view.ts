/**
 * How the console shows an API problem: a 401 asks for the token (and
 * announces `faultline-token` on window when one is entered, so the page
 * redraws), anything else is one line where the content would be.
 */
import { ApiError, setToken, token } from './api.js';
import { h } from './dom.js';

/** Fired on window after the user entered a token. */
export const TOKEN_EVENT = 'faultline-token';

const notice = () => document.getElementById('notice')!;

/** Ask for the API token in the notice bar. */
export function showTokenPrompt(reason: string): void {
  const input = h('input', { id: 'token-input', type: 'password', autocomplete: 'off', 'aria-describedby': 'token-why' });
  const form = h('form', { class: 'token-form' },
    h('p', { id: 'token-why' }, reason),
    h('label', { for: 'token-input' }, 'API token '), input, ' ',
    h('button', { type: 'submit', class: 'primary' }, 'Use token'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    notice().replaceChildren();
    window.dispatchEvent(new Event(TOKEN_EVENT));
  });
  notice().replaceChildren(form);
  input.focus();
}

/** Show an error in `where`; a 401 asks for the token. */
export function showError(err: unknown, where: HTMLElement): void {
  if (err instanceof ApiError && err.status === 401) {
    showTokenPrompt(token() ? `The token was refused: ${err.message}` : 'This server needs an API token to read or change anything.');
    where.replaceChildren(h('p', { class: 'muted' }, 'Waiting for a token…'));
    return;
  }
  const msg = err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  where.replaceChildren(h('p', { role: 'alert' }, msg));
}

/** Say something in the notice bar. */
export function say(...content: (Node | string)[]): void {
  notice().replaceChildren(...content);
}
