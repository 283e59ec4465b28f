/**
 * The browser side of findings.html: draws each scenario's timeline with
 * uPlot (inlined into the page) from the JSON island `#timelines`. Latency
 * percentiles on the left axis, error rate and throughput on the right, the
 * fault window shaded, the recovery point a dashed line. Kept as one plain
 * ES2017 string: it runs in any browser that opens the file, with no build
 * step and no module loader.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  var island = document.getElementById('timelines');
  if (!island || typeof uPlot === 'undefined') return;
  var charts = JSON.parse(island.textContent);
  var colours = { p50: '#4c78a8', p95: '#72b7b2', p99: '#1f3b73', err: '#e45756', thr: '#54a24b' };
  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }
  function phases(c) {
    return {
      hooks: {
        drawClear: [function (u) {
          var x0 = u.valToPos(c.faultStartMs / 1000, 'x', true);
          var x1 = u.valToPos(c.faultEndMs / 1000, 'x', true);
          u.ctx.save();
          u.ctx.fillStyle = 'rgba(228, 87, 86, 0.13)';
          u.ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
          u.ctx.restore();
        }],
        draw: [function (u) {
          if (c.recoveredAtMs === null) return;
          var x = u.valToPos(c.recoveredAtMs / 1000, 'x', true);
          u.ctx.save();
          u.ctx.strokeStyle = '#222';
          u.ctx.setLineDash([6, 4]);
          u.ctx.lineWidth = 2;
          u.ctx.beginPath();
          u.ctx.moveTo(x, u.bbox.top);
          u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
          u.ctx.stroke();
          u.ctx.fillStyle = '#222';
          u.ctx.font = '12px sans-serif';
          u.ctx.fillText('recovered', x + 4, u.bbox.top + 14);
          u.ctx.restore();
        }],
      },
    };
  }
  charts.forEach(function (c) {
    var el = document.getElementById(c.element);
    var xs = c.ops.map(function (_, i) { return (i + 0.5) * c.stepMs / 1000; });
    var errPct = c.errorRate.map(function (e) { return e === null ? null : e * 100; });
    var width = Math.max(320, Math.min(1000, (el.parentElement && el.parentElement.clientWidth) || 900));
    new uPlot({
      width: width,
      height: 280,
      plugins: [phases(c)],
      // Latency and throughput start at zero: a drop to half looks like half, not like nothing.
      scales: { x: { time: false }, ms: { range: fromZero }, pct: { range: [0, 100] }, rps: { range: fromZero } },
      axes: [
        { label: 'seconds since baseline start' },
        { scale: 'ms', label: 'latency (ms)' },
        { scale: 'pct', side: 1, label: 'errors (%)', grid: { show: false } },
        { scale: 'rps', side: 1, label: 'ok per second', grid: { show: false } },
      ],
      series: [
        { label: 's' },
        { label: 'p50 ms', scale: 'ms', stroke: colours.p50, spanGaps: false },
        { label: 'p95 ms', scale: 'ms', stroke: colours.p95, spanGaps: false },
        { label: 'p99 ms', scale: 'ms', stroke: colours.p99, width: 2, spanGaps: false },
        { label: 'errors %', scale: 'pct', stroke: colours.err, width: 2, spanGaps: false },
        { label: 'ok/s', scale: 'rps', stroke: colours.thr },
      ],
    }, [xs, c.p50Ms, c.p95Ms, c.p99Ms, errPct, c.throughput], el);
  });
})();
`;
