/**
 * What the Fastify app is built from: narrow interfaces of our own seams, so
 * tests pass in-memory fakes and src/server.ts passes the real adapters.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Executor } from '../../runners/execute/executor.js';
import type { FaultInjector } from '../../runners/faults/fault-injector.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { Clock } from '../store/artifact-id.js';
import type { Log } from '../log.js';
import type { Pipeline } from '../pipeline.js';
import type { Scheduler } from '../sweeps/scheduler.js';
import type { Notifier } from '../sweeps/slack-notifier.js';
import type { OutboxDeps } from '../sweeps/digest-outbox.js';

/** The OTLP receiver (ingest's `otlpReceiver` plugin) and the store it fills. */
export interface OtlpDeps {
  // The plugin's options are ingest's; the app passes {store, bodyLimitBytes, queueCapacity, maxTextLength}.
  plugin: FastifyPluginAsync<any>;
  store: unknown;
  /** Spans currently held, for /metrics. */
  spanCount?: () => number;
}

/** Dependencies of buildApp. */
export interface AppDeps {
  store: ArtifactStore;
  executor: Executor;
  injector: FaultInjector;
  pipeline: Pipeline;
  /** The server's manifest (used when a request brings none, and by sweeps). */
  manifestPath?: string;
  /** Where relative paths of uploaded manifests resolve. */
  baseDir: string;
  otlp?: OtlpDeps;
  notifier?: Notifier;
  scheduler?: Scheduler;
  /** Readiness probes beyond the fault proxy (e.g. Redis PING); each throws when not ready. */
  readiness?: Record<string, () => Promise<void>>;
  log?: Log;
  clock?: Clock;
  /** Digest retry settings (tests shorten them). */
  outbox?: Pick<OutboxDeps, 'attempts' | 'baseDelayMs' | 'sleep'>;
}
