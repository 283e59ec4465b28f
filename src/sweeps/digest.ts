/**
 * The sweep digest as a Slack Block Kit payload. Pure: sweep + findings +
 * earlier sweeps in, `{text, blocks}` out. New failures come first with their
 * claim and blame, then recovery-time trends, topology changes and a link to
 * the full findings. Block Kit limits are respected
 * (https://api.slack.com/reference/block-kit/blocks): at most 50 blocks per
 * message, section text at most 3000 characters, header text at most 150;
 * long lists end with "…and N more".
 */
import { printable } from '../../base/text.js';
import type { Findings, ScenarioResult, Verdict } from '../../runners/record/result.js';
import { VERDICTS } from '../../runners/record/result.js';
import type { SweepRecord } from '../store/artifact-store.js';
import { hasTopologyChanges } from './graph-diff.js';

export const MAX_BLOCKS = 50;
export const MAX_SECTION_CHARS = 3000;
export const MAX_HEADER_CHARS = 150;
/** Items listed per section before "…and N more". */
export const MAX_ITEMS = 10;

/** The Block Kit blocks the digest uses. */
export type DigestBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

/** An incoming-webhook message. */
export interface DigestPayload {
  /** Fallback text for notifications. */
  text: string;
  blocks: DigestBlock[];
}

/** What the digest is built from. */
export interface DigestInput {
  sweep: SweepRecord;
  findings?: Findings;
  /** Earlier succeeded sweeps of the same system, newest first. */
  previous: SweepRecord[];
  /** Link to the full findings (absent when no public URL is configured). */
  findingsUrl?: string;
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A titled list as one section, cut to the item and character limits. */
function listSection(title: string, lines: string[]): DigestBlock {
  const head = `*${title}*`;
  let text = head;
  let shown = 0;
  for (const line of lines) {
    const rest = lines.length - shown - 1;
    const tail = rest > 0 ? `\n…and ${rest} more` : '';
    if (shown >= MAX_ITEMS || (text + '\n' + line + tail).length > MAX_SECTION_CHARS) break;
    text += `\n${line}`;
    shown += 1;
  }
  if (shown < lines.length) text += `\n…and ${lines.length - shown} more`;
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_SECTION_CHARS) } };
}

const isFail = (v: Verdict) => v.startsWith('FAIL');

function failureLine(r: ScenarioResult): string {
  return `• *${r.claims.join(', ') || '(no claim)'}* — ${r.verdict} in \`${r.scenarioId}\`; blame: ${r.blame} (${r.blameReason})`;
}

function fmtMs(ms: number | null | undefined): string {
  return ms === null ? 'did not recover' : ms === undefined ? 'n/a' : `${Math.round(ms)} ms`;
}

/** Build the digest payload. */
export function buildDigest(input: DigestInput): DigestPayload {
  const { sweep, findings, previous, findingsUrl } = input;
  const system = sweep.system ?? 'system';
  const blocks: DigestBlock[] = [];
  const headline = sweep.status === 'failed' ? `sweep failed: ${sweep.error?.message ?? 'unknown error'}` : sweep.status === 'empty' ? `nothing tested: ${sweep.error?.message ?? 'no scenario ran'}` : (findings?.headline ?? 'no findings');
  blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(`faultline · ${system}: ${headline}`, MAX_HEADER_CHARS) } });

  const counts = sweep.counts ?? findings?.counts ?? {};
  const countText = VERDICTS.filter((v) => counts[v]).map((v) => `${v} *${counts[v]}*`).join(' · ');
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(countText ? `*Verdicts* ${countText}` : '*Verdicts* none', MAX_SECTION_CHARS) } });

  if (findings) {
    // A claim failing now that did not fail in the previous sweep is new.
    const prevFailing = new Set((previous[0]?.claims ?? []).filter((c) => c.verdicts.some(isFail)).map((c) => c.claimId));
    const failures = findings.results.filter((r) => isFail(r.verdict));
    const fresh = failures.filter((r) => r.claims.some((c) => !prevFailing.has(c)));
    const still = failures.filter((r) => !fresh.includes(r));
    if (fresh.length) blocks.push(listSection(`New failures (${fresh.length})`, fresh.map(failureLine)));
    if (still.length) blocks.push(listSection(`Still failing (${still.length})`, still.map(failureLine)));
  }

  const trends = sweep.claims
    .filter((c) => c.recoveredAfterMs !== undefined)
    .map((c) => {
      const past = previous.map((s) => s.claims.find((x) => x.claimId === c.claimId)?.recoveredAfterMs).filter((x): x is number | null => x !== undefined);
      const prev = past[0];
      const delta = typeof prev === 'number' && typeof c.recoveredAfterMs === 'number' ? ` (${c.recoveredAfterMs - prev >= 0 ? '+' : ''}${Math.round(c.recoveredAfterMs - prev)} ms)` : '';
      const history = past.length ? `; before: ${past.slice(0, 3).map(fmtMs).join(', ')}` : '';
      return `• *${c.claimId}* ${fmtMs(c.recoveredAfterMs)}${delta}${history}`;
    });
  if (trends.length) blocks.push(listSection('Recovery time', trends));

  if (sweep.diff && !sweep.diff.first && hasTopologyChanges(sweep.diff)) {
    const d = sweep.diff;
    const lines = [
      ...d.newServices.map((s) => `• new service \`${s}\``),
      ...d.vanishedServices.map((s) => `• vanished service \`${s}\``),
      ...d.newEdges.map((e) => `• new edge \`${e}\``),
      ...d.vanishedEdges.map((e) => `• vanished edge \`${e}\``),
      ...d.riskMoves.map((m) => `• \`${m.edge}\` risk rank ${m.fromRank} → ${m.toRank}`),
    ];
    blocks.push(listSection('Topology changes', lines));
  }

  const footer = [`sweep \`${sweep.id}\``, ...(sweep.runId ? [`run \`${sweep.runId}\``] : []), ...(findingsUrl ? [`<${findingsUrl}|Full findings>`] : [])];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' · ') }] });
  return { text: clip(printable(`faultline · ${system}: ${headline}`), MAX_SECTION_CHARS), blocks: blocks.slice(0, MAX_BLOCKS).map(safeBlock) };
}

/** Telemetry text (service names, error messages) without control characters, as in every human output. */
function safeBlock(b: DigestBlock): DigestBlock {
  const safe = (text: string) => printable(text, { multiline: true });
  if (b.type === 'header') return { ...b, text: { ...b.text, text: printable(b.text.text) } };
  if (b.type === 'section') return { ...b, text: { ...b.text, text: safe(b.text.text) } };
  if (b.type === 'context') return { ...b, elements: b.elements.map((e) => ({ ...e, text: safe(e.text) })) };
  return b;
}
