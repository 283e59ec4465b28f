/**
 * Representative load for the clinic system: a seeded mix of bookings,
 * appointment lists, check-ins, allergy reads and saves, and board calls,
 * so a short warm-up leaves traces across every edge (board-relay's
 * included). The same seed gives the same sequence of operations (not the
 * same timings).
 */
import { randomUUID } from 'node:crypto';
import { seededRng } from '../../runners/execute/workload/rng.js';
import { ALLERGENS, PATIENTS, ROOMS, SLOTS, patientId, slotId } from './runtime/clinic-data.js';

/** Options of driveClinicTraffic. */
export interface ClinicTrafficOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
}

export type ClinicOperation = 'book' | 'list' | 'checkin' | 'readAllergies' | 'saveAllergies' | 'call';

/** What a traffic run did: status counts per operation. */
export interface ClinicTrafficSummary {
  statuses: Record<ClinicOperation, Record<string, number>>;
}

const MIX: readonly [ClinicOperation, number][] = [['book', 3], ['list', 3], ['checkin', 2], ['readAllergies', 3], ['saveAllergies', 2], ['call', 2]];
const TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

/** Drive `requests` operations against front-desk; never throws for a failed request. */
export async function driveClinicTraffic(frontDeskUrl: string, opts: ClinicTrafficOptions): Promise<ClinicTrafficSummary> {
  const rng = seededRng(opts.seed);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const plan = Array.from({ length: opts.requests }, () => {
    let r = rng.next() * TOTAL;
    let operation: ClinicOperation = MIX[0][0];
    for (const [op, w] of MIX) { if (r < w) { operation = op; break; } r -= w; }
    return {
      operation,
      patient: patientId(rng.int(1, PATIENTS)),
      chartPatient: patientId(rng.int(1, 30)),
      slot: slotId(rng.int(1, SLOTS)),
      allergen: ALLERGENS[rng.int(0, ALLERGENS.length - 1)],
      room: ROOMS[rng.int(0, ROOMS.length - 1)],
    };
  });
  const statuses: ClinicTrafficSummary['statuses'] = { book: {}, list: {}, checkin: {}, readAllergies: {}, saveAllergies: {}, call: {} };
  let next = 0;
  const one = async (step: (typeof plan)[number]) => {
    const json = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    let url: string;
    let init: RequestInit = {};
    switch (step.operation) {
      case 'book':
        url = `${frontDeskUrl}/appointments`;
        init = { method: 'POST', headers: json, body: JSON.stringify({ patientId: step.patient, slotId: step.slot }) };
        break;
      case 'list': url = `${frontDeskUrl}/patients/${step.patient}/appointments`; break;
      case 'checkin':
        url = `${frontDeskUrl}/checkins`;
        init = { method: 'POST', headers: json, body: JSON.stringify({ patientId: step.patient }) };
        break;
      case 'readAllergies': url = `${frontDeskUrl}/patients/${step.chartPatient}/allergies`; break;
      case 'saveAllergies':
        url = `${frontDeskUrl}/patients/${step.chartPatient}/allergies`;
        init = { method: 'PUT', headers: json, body: JSON.stringify({ allergies: step.allergen }) };
        break;
      default:
        url = `${frontDeskUrl}/board/calls`;
        init = { method: 'POST', headers: json, body: JSON.stringify({ patientId: step.patient, room: step.room }) };
    }
    let status = 0;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    statuses[step.operation][status] = (statuses[step.operation][status] ?? 0) + 1;
  };
  const worker = async () => {
    while (next < plan.length) await one(plan[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.requests)) }, worker));
  return { statuses };
}
