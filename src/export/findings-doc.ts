/**
 * Reading a findings.json someone hands to an exporter. findings.json has
 * no schema validator of its own (faultline writes it and reads it back);
 * an exporter gets files from people, so it checks the fields it relies on
 * and names the first one that is wrong, rather than failing later with a
 * TypeError deep in a converter.
 */
import { fail } from '../../base/errors.js';
import { FINDINGS_SCHEMA_VERSION, VERDICTS, type Findings } from '../../runners/record/result.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(path: string, message: string): never {
  throw fail('BAD_INPUT', `findings ${path}: ${message}`, { path });
}

/** `doc` as Findings when the fields exporters read are there and well typed; BAD_INPUT naming the first bad one otherwise. */
export function findingsFromJson(doc: unknown): Findings {
  if (!isObject(doc)) bad('/', 'must be a findings.json object');
  if (doc.schemaVersion !== FINDINGS_SCHEMA_VERSION) bad('schemaVersion', `must be ${FINDINGS_SCHEMA_VERSION}, got ${JSON.stringify(doc.schemaVersion)}`);
  for (const key of ['runId', 'planId', 'startedAt', 'finishedAt'] as const) {
    if (typeof doc[key] !== 'string') bad(key, 'must be a string');
  }
  if (Number.isNaN(Date.parse(doc.startedAt as string))) bad('startedAt', `is not a date: ${JSON.stringify(doc.startedAt)}`);
  if (!Array.isArray(doc.results)) bad('results', 'must be an array');
  doc.results.forEach((r: unknown, i: number) => {
    const at = `results[${i}]`;
    if (!isObject(r)) bad(at, 'must be an object');
    if (typeof r.scenarioId !== 'string') bad(`${at}.scenarioId`, 'must be a string');
    if (!(VERDICTS as readonly unknown[]).includes(r.verdict)) bad(`${at}.verdict`, `must be one of ${VERDICTS.join(', ')}`);
    for (const key of ['durationMs', 'seed', 'attempts'] as const) {
      if (typeof r[key] !== 'number' || !Number.isFinite(r[key])) bad(`${at}.${key}`, 'must be a number');
    }
    for (const key of ['checks', 'verdictPath'] as const) if (!Array.isArray(r[key])) bad(`${at}.${key}`, 'must be an array');
    if (!isObject(r.landing)) bad(`${at}.landing`, 'must be an object');
    (r.checks as unknown[]).forEach((c, j) => {
      if (!isObject(c) || typeof c.claimId !== 'string' || typeof c.checker !== 'string' || typeof c.ok !== 'boolean' || !Array.isArray(c.anomalies) || !c.anomalies.every(isObject)) {
        bad(`${at}.checks[${j}]`, 'must be a check result with claimId, checker, ok and anomalies');
      }
    });
  });
  return doc as unknown as Findings;
}
