/**
 * The graph canvas's camera from the keyboard, and the camera's trip to a
 * picked node or edge. Sigma listens to the mouse and touch only; here the
 * focused canvas pans with the arrow keys, zooms with + and -, and resets
 * with 0, the keys map viewers use.
 */
import type Sigma from 'sigma';
import type { CameraState } from 'sigma/types';

/** One arrow press moves a tenth of the view; one +/- press zooms by 1.5, sigma's camera default. */
const PAN = 0.1;
const ZOOM = 1.5;
const ANIMATE_MS = 200;

/** Where each camera is heading (the last animation asked of it). */
const heading = new WeakMap<object, CameraState>();

/**
 * Animate the camera to `state`. Presses come faster than animations: a
 * move asked mid-animation starts from where the camera was going, so key
 * presses add up and a pan right after a pick does not stop the trip halfway.
 */
function goTo(renderer: Sigma, state: Partial<CameraState>, duration: number): void {
  const camera = renderer.getCamera();
  const from = current(renderer);
  // validateState clamps the zoom to the camera's limits.
  const target = { ...from, ...camera.validateState({ ...from, ...state }) };
  heading.set(camera, target);
  void camera.animate(target, { duration });
}

/** Where the camera is, or where it is going if it is on its way. */
function current(renderer: Sigma): CameraState {
  const camera = renderer.getCamera();
  return camera.isAnimated() ? heading.get(camera) ?? camera.getState() : camera.getState();
}

/** Handle the camera keys on `container` (which must be focusable). */
export function cameraKeys(container: HTMLElement, renderer: Sigma): void {
  container.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const from = current(renderer);
    const step = PAN * from.ratio;
    // Graph y grows upwards: ArrowUp shows what is above, so the camera's y grows.
    const moves: Record<string, Partial<CameraState>> = {
      ArrowLeft: { x: from.x - step }, ArrowRight: { x: from.x + step }, ArrowUp: { y: from.y + step }, ArrowDown: { y: from.y - step },
      '+': { ratio: from.ratio / ZOOM }, '=': { ratio: from.ratio / ZOOM }, '-': { ratio: from.ratio * ZOOM }, _: { ratio: from.ratio * ZOOM },
      '0': { x: 0.5, y: 0.5, ratio: 1, angle: 0 },
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    goTo(renderer, move, ANIMATE_MS);
  });
}

/**
 * Centre the camera on some nodes (one node, or an edge's two ends), zoomed
 * in to `closest` at most but out far enough to keep them all in view.
 */
export function showInCamera(renderer: Sigma, nodes: string[], closest: number): void {
  const points = nodes.map((n) => renderer.getNodeDisplayData(n)).filter((p) => p !== undefined);
  if (!points.length) return;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  // Display coordinates span about 0..1 at ratio 1: a span of d needs a ratio of about d, plus a margin.
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const ratio = Math.min(1, Math.max(closest, span * 1.6));
  goTo(renderer, { x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2, ratio }, 400);
}

/** Timings on the canvas element for the benchmark and the curious: first draw, the last frame's cost, the frame count. */
export function recordFrames(container: HTMLElement, renderer: Sigma, started: number): void {
  let frameStart = 0;
  renderer.on('beforeRender', () => { frameStart = performance.now(); });
  renderer.on('afterRender', () => {
    const ms = performance.now() - frameStart;
    container.dataset.frames = String(Number(container.dataset.frames ?? 0) + 1);
    container.dataset.frameMs = ms.toFixed(1);
    container.dataset.frameMaxMs = Math.max(ms, Number(container.dataset.frameMaxMs ?? 0)).toFixed(1);
    container.dataset.drawnMs ??= String(Math.round(performance.now() - started));
    // Since navigation began: the first load as a user waits for it (bench/console.ts reads it).
    container.dataset.drawnAt ??= String(Math.round(performance.now()));
  });
}
