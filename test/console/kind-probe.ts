/**
 * Does the graph draw each node kind as the shape its legend shows? For one
 * node per kind, the browser centres the camera on it, draws a frame and reads
 * the node layer's pixels back (in the same task, before the frame is
 * composited and the buffer cleared), then compares them on a grid of probe
 * points with the legend's own pictogram (SVG isPointInFill): inside the
 * pictogram must be the kind's colour, outside must be empty. Probe points
 * near an outline are skipped, where antialiasing blends the two.
 */
import type { Page } from 'playwright-core';

/** What the probe found for one kind. */
export interface KindProbe {
  kind: string;
  /** Probe points clear of the outline that were compared. */
  checked: number;
  /** Of those, how many disagreed with the legend's pictogram. */
  mismatches: number;
  /** The node's radius in CSS pixels while probed. */
  radiusPx: number;
  /** The colour at the node's centre, `#rrggbb`. */
  centre: string;
}

/** Probe one node per kind (`nodes` maps kind → node id); leaves the camera where it was. */
export function probeKinds(page: Page, nodes: Record<string, string>): Promise<KindProbe[]> {
  return page.evaluate((wanted) => {
    // The server's tsconfig has no DOM types: the little this code touches is declared here.
    type GL = {
      drawingBufferWidth: number; drawingBufferHeight: number; RGBA: number; UNSIGNED_BYTE: number; canvas: { clientWidth: number };
      readPixels(x: number, y: number, w: number, h: number, format: number, type: number, out: Uint8Array): void;
    };
    type Sig = {
      getCamera(): { getState(): object; setState(s: object): void };
      getNodeDisplayData(n: string): { x: number; y: number; size: number } | undefined;
      scaleSize(size: number): number; render(): void;
      webGLContexts: { nodes: GL };
    };
    const { document, DOMPoint } = globalThis as unknown as {
      document: { getElementById(id: string): unknown; querySelector(s: string): { isPointInFill(p: unknown): boolean } };
      DOMPoint: new (x: number, y: number) => unknown;
    };
    const sigma = (document.getElementById('sigma') as { sigma: Sig }).sigma;
    const camera = sigma.getCamera();
    const saved = camera.getState();
    const out = [];
    for (const [kind, id] of Object.entries(wanted)) {
      const shape = document.querySelector(`#graph-legend li[data-kind="${kind}"] svg :is(circle, rect, polygon)`);
      const d = sigma.getNodeDisplayData(id)!;
      // Zoomed far in: the node is large and its neighbours are off screen.
      camera.setState({ x: d.x, y: d.y, ratio: 0.02, angle: 0 });
      sigma.render();
      const gl = sigma.webGLContexts.nodes;
      const w = gl.drawingBufferWidth;
      const hgt = gl.drawingBufferHeight;
      const px = new Uint8Array(w * hgt * 4);
      gl.readPixels(0, 0, w, hgt, gl.RGBA, gl.UNSIGNED_BYTE, px);
      const scale = w / gl.canvas.clientWidth;
      const r = sigma.scaleSize(d.size);
      // Rows of the read-back run bottom up.
      const at = (dx: number, dy: number) => {
        const x = Math.round(w / 2 + dx * r * scale);
        const y = Math.round(hgt / 2 - dy * r * scale);
        const i = ((hgt - 1 - y) * w + x) * 4;
        return [px[i], px[i + 1], px[i + 2], px[i + 3]];
      };
      // The pictogram's unit: a circle of radius 5 around (8, 8), y down.
      const inside = (u: number, v: number) => shape.isPointInFill(new DOMPoint(8 + 5 * u, 8 - 5 * v));
      let checked = 0;
      let mismatches = 0;
      const margin = 0.12;
      for (let u = -1.5; u <= 1.5; u += 0.1) {
        for (let v = -1.5; v <= 1.5; v += 0.1) {
          const here = inside(u, v);
          if ([[margin, 0], [-margin, 0], [0, margin], [0, -margin]].some(([a, b]) => inside(u + a, v + b) !== here)) continue;
          checked += 1;
          const alpha = at(u, v)[3];
          if (here ? alpha < 230 : alpha > 25) mismatches += 1;
        }
      }
      const c = at(0, 0);
      out.push({ kind, checked, mismatches, radiusPx: r, centre: `#${c.slice(0, 3).map((x) => x.toString(16).padStart(2, '0')).join('')}` });
    }
    camera.setState(saved);
    sigma.render();
    return out;
  }, nodes);
}
