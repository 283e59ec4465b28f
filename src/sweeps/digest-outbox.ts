/**
 * Digest delivery through an outbox: the payload is written to the artifact
 * store first, then posted with exponential backoff; whatever is not
 * delivered stays in the outbox and is retried by the next `flushOutbox`
 * (every sweep and server start). Delivery never throws: a sweep must not
 * fail because Slack is down.
 */
import type { ArtifactStore, OutboxEntry } from '../store/artifact-store.js';
import type { DigestPayload } from './digest.js';
import { newId, type Clock } from '../store/artifact-id.js';
import type { Log } from '../log.js';
import type { Notifier } from './slack-notifier.js';

/** What delivery needs. */
export interface OutboxDeps {
  store: ArtifactStore;
  notifier: Notifier;
  clock: Clock;
  log: Log;
  /** Attempts per delivery round (default 3). */
  attempts?: number;
  /** First backoff delay, doubled per attempt (default 500 ms). */
  baseDelayMs?: number;
  /** Injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function attempt(deps: OutboxDeps, entry: OutboxEntry): Promise<OutboxEntry> {
  const tries = deps.attempts ?? 3;
  const sleep = deps.sleep ?? realSleep;
  for (let i = 0; i < tries; i++) {
    if (i > 0) await sleep((deps.baseDelayMs ?? 500) * 2 ** (i - 1));
    entry.attempts += 1;
    try {
      await deps.notifier.deliver(entry.payload as DigestPayload);
      entry.deliveredAt = deps.clock.now().toISOString();
      delete entry.lastError;
      break;
    } catch (err) {
      entry.lastError = (err as Error).message;
    }
  }
  await deps.store.put('outbox', entry);
  if (!entry.deliveredAt) deps.log.warn({ outboxId: entry.id, attempts: entry.attempts, error: entry.lastError }, 'digest not delivered; kept in outbox');
  return entry;
}

/** Store the digest in the outbox and try to deliver it. Never throws. */
export async function sendDigest(deps: OutboxDeps, payload: DigestPayload, sweepId?: string): Promise<OutboxEntry> {
  const entry: OutboxEntry = { id: newId('digest', deps.clock.now()), createdAt: deps.clock.now().toISOString(), ...(sweepId ? { sweepId } : {}), payload, attempts: 0 };
  try {
    await deps.store.put('outbox', entry);
    return await attempt(deps, entry);
  } catch (err) {
    deps.log.error({ err }, 'digest outbox write failed');
    return entry;
  }
}

/** Retry every undelivered digest, oldest first. Returns how many were delivered. */
export async function flushOutbox(deps: OutboxDeps): Promise<number> {
  let delivered = 0;
  try {
    const pending = (await deps.store.list('outbox', { where: (e) => !e.deliveredAt })).reverse();
    for (const entry of pending) if ((await attempt(deps, entry)).deliveredAt) delivered += 1;
  } catch (err) {
    deps.log.error({ err }, 'digest outbox flush failed');
  }
  return delivered;
}
