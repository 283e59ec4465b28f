/**
 * Text for the HTML pages faultline writes (findings.html, the graph page):
 * telemetry text sanitised (base/text.ts), then escaped for element content
 * and quoted attribute values alike.
 */
import { printable } from '../../base/text.js';

/** Escape text for HTML content and attribute values. */
export function html(text: string): string {
  return printable(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
