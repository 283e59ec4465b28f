/**
 * The graph page's side panel: whatever was picked (an edge or a service),
 * with a close button. Escape anywhere on the page closes it too, and focus
 * goes back to the control that opened it, so a keyboard user who went into
 * the panel to read it is not left stranded at the top of the page.
 */
import { h } from '../dom.js';

/** The panel and how to fill and clear it. */
export interface SidePanel {
  el: HTMLElement;
  /** Replace the panel's content. `from` opened it; `focus` moves focus to its heading (a keyboard pick). */
  show(fill: (body: HTMLElement) => void, from: HTMLElement | null, focus: boolean): void;
  /** Back to the hint; returns focus to the opener if focus was inside the panel. */
  close(): void;
  isOpen(): boolean;
}

/** Build the panel (id `side-panel`); `onClose` runs after it is cleared (to drop the highlight). */
export function sidePanel(hint: string, onClose: () => void): SidePanel {
  const body = h('div', {});
  const closer = h('button', { type: 'button', class: 'close', 'aria-label': 'Close the panel', title: 'Close (Escape)', hidden: true }, '×');
  const el = h('section', { id: 'side-panel', class: 'card', 'aria-label': 'Selected service or edge' }, closer, body);
  let opener: HTMLElement | null = null;
  const placeholder = () => body.replaceChildren(h('p', { class: 'muted' }, hint));
  const panel: SidePanel = {
    el,
    show(fill, from, focus) {
      // A button inside the panel (a service's edge) replaces its content: the original opener stays the way back.
      if (!from || !el.contains(from)) opener = from;
      fill(body);
      closer.hidden = false;
      if (focus) body.querySelector<HTMLElement>('h2')?.focus();
    },
    close() {
      const wasInside = el.contains(document.activeElement);
      placeholder();
      closer.hidden = true;
      onClose();
      if (wasInside) (opener?.isConnected ? opener : document.getElementById('sigma'))?.focus();
      opener = null;
    },
    isOpen: () => !closer.hidden,
  };
  closer.addEventListener('click', () => panel.close());
  placeholder();
  return panel;
}
