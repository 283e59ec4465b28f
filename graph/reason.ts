/**
 * One-sentence reasons for risk items, phrased so a person can check each
 * clause against the traces (counts, ratios and shares, not scores).
 */
import type { GraphEdge, GraphEntrypoint, RiskFactors, RiskItem } from './model.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

function pct(x: number): string {
  const p = x * 100;
  if (p === 0) return '0%';
  if (p < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

function join(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Why an edge is risky, e.g. "orders→payments: 12% of 3,412 calls failed, p99 is 9.1× p50, …". */
export function edgeReason(e: GraphEdge, f: RiskFactors, top?: { label: string; share: number }): string {
  const parts: string[] = [];
  parts.push(e.errors === 0 ? `none of ${int(e.calls)} calls failed` : `${pct(e.errorRate)} of ${int(e.calls)} calls failed`);
  if (e.latency.p50 > 0) parts.push(`p99 is ${f.tailRatio.toFixed(1)}× p50 (${fmtMs(e.latency.p99)})`);
  if (e.retries.extraAttempts > 0) {
    const { retriedParents: p, extraAttempts: x } = e.retries;
    parts.push(`${int(p)} ${p === 1 ? 'caller' : 'callers'} retried (${int(x)} extra ${x === 1 ? 'attempt' : 'attempts'}, ${f.retryAmplification.toFixed(2)}× amplification)`);
  }
  if (f.syncWithoutTimeout === 1) parts.push('no timeout evidence (no call in the traces was cut off at a constant)');
  else if (e.timeout.evidence === 'observed') parts.push(`calls are cut off at ~${fmtMs(e.timeout.cutoffMs ?? 0)}`);
  if (top && top.share > 0) parts.push(`${pct(top.share)} of ${top.label} traffic crosses it`);
  if ((f.history ?? 0) > 0) parts.push('earlier sweeps found it failing or inconclusive');
  return `${e.source}→${e.target}${e.mode === 'async' ? ' (async)' : ''}: ${join(parts)}`;
}

/** Why an entrypoint path is risky: which weak edge its requests reach, and how deep. */
export function pathReason(ep: GraphEntrypoint, path: string[], worst: RiskItem): string {
  const hops = path.length - 1;
  const label = `${ep.method === '-' ? '' : `${ep.method} `}${ep.route}`;
  const edgeWhy = worst.reason.slice(worst.reason.indexOf(': ') + 2);
  return `${label} on ${ep.service} (${int(ep.calls)} ${ep.calls === 1 ? 'request' : 'requests'}) reaches ${path.slice(-2).join('→')} in ${hops} hop${hops === 1 ? '' : 's'}, where ${edgeWhy}`;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}
