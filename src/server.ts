/**
 * The process entry of `faultline serve`: real adapters wired into buildApp,
 * pino JSON logs, self-telemetry, the sweep scheduler, and graceful shutdown
 * (SIGTERM, SIGINT, SIGHUP): stop taking requests and drain, let running scenarios
 * finish within a grace period and cancel the rest (a BullMQ worker hands
 * its job back), then remove every active toxic.
 */
import { pino } from 'pino';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { otlpReceiver } from '../ingest/otlp-receiver.js';
import { SpanStore } from '../ingest/span-store.js';
import { dirname } from 'node:path';
import { buildApp } from './api/app.js';
import type { AppDeps } from './api/app-deps.js';
import type { Config } from './config.js';
import { DirArtifactStore } from './store/dir-artifact-store.js';
import { flushOutbox } from './sweeps/digest-outbox.js';
import { fail } from '../base/errors.js';
import { systemClock } from './store/artifact-id.js';
import type { Log } from './log.js';
import type { Pipeline } from './pipeline.js';
import { realPipeline } from './real-pipeline.js';
import { BullmqScheduler } from './sweeps/scheduler.js';
import { SlackNotifier } from './sweeps/slack-notifier.js';
import { gracefulShutdown, onStopSignals } from './shutdown.js';
import { runSweep } from './sweeps/sweep.js';
import { startTelemetry } from './telemetry.js';
import { wire, type WiringDocument } from './wiring.js';

/** Options of startServer. */
export interface ServerOptions {
  manifestPath?: string;
  baseDir: string;
  /** Replace real adapters (tests pass fakes of our interfaces). */
  overrides?: Partial<AppDeps>;
  /** Log sink (default: stdout, JSON). */
  log?: Log;
  /** Install SIGTERM, SIGINT and SIGHUP handlers (the CLI does; tests do not). */
  handleSignals?: boolean;
  /** Run the scheduled-sweep worker in this process (default true when Redis is configured). */
  sweepWorker?: boolean;
}

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Graceful shutdown; idempotent. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/** Start the API server with real adapters. */
export async function startServer(config: Config, opts: ServerOptions): Promise<RunningServer> {
  const log: Log = opts.log ?? pino({ level: config.logLevel, base: { service: 'faultline' } });
  const telemetry = startTelemetry(config.otelEndpoint);
  const o = opts.overrides ?? {};
  const closers: (() => Promise<unknown>)[] = [];

  const spanStore = new SpanStore(config.ingest.retainSpans, { retainBytes: config.ingest.retainBytes });
  const pipeline = o.pipeline ?? realPipeline({ spanStore, openai: config.openai, secretFromEnv: config.secretFromEnv });
  let injector = o.injector;
  let executor = o.executor;
  if (!injector || !executor) {
    // The server's manifest names the fault proxy (toxiproxy.url beats TOXIPROXY_URL); each
    // plan's runs read that plan's trace source, OTLP from this server's receiver.
    const wiring = await wire({ config, doc: await serverDocument(pipeline, opts.manifestPath, log), spanStore, injectorAlways: true, note: (line) => log.info({}, line) });
    closers.push(() => wiring.close());
    injector ??= wiring.injector!;
    executor ??= wiring.executor;
  }
  const store = o.store ?? new DirArtifactStore(config.dataDir);
  const notifier = o.notifier ?? (config.slackWebhookUrl ? new SlackNotifier(config.slackWebhookUrl) : undefined);
  const readiness: Record<string, () => Promise<void>> = { ...o.readiness };
  let redis: Redis | undefined;
  if (config.redisUrl && !readiness.redis) {
    redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    readiness.redis = async () => {
      if (redis!.status === 'wait') await redis!.connect();
      if ((await redis!.ping()) !== 'PONG') throw fail('NOT_READY', 'redis did not answer PONG');
    };
    closers.push(() => redis!.quit().catch(() => undefined));
  }
  const scheduler = o.scheduler ?? (config.redisUrl ? new BullmqScheduler({ redisUrl: config.redisUrl, log, minIntervalMs: config.schedules.minIntervalMs }) : undefined);

  const deps: AppDeps = {
    store, executor, injector, pipeline, notifier, scheduler, readiness, log, clock: systemClock,
    manifestPath: opts.manifestPath, baseDir: opts.baseDir,
    otlp: o.otlp ?? { plugin: otlpReceiver, store: spanStore, spanCount: () => spanStore.size },
    ...(o.outbox ? { outbox: o.outbox } : {}),
  };
  const app = await buildApp(config, deps);

  if (scheduler instanceof BullmqScheduler && (opts.sweepWorker ?? true)) {
    for (const s of await store.list('schedules')) {
      // A schedule stored before crons were checked is skipped and said so, not fatal to startup.
      await scheduler.upsert(s).catch((err: Error) => log.warn({ scheduleId: s.id, err: err.message }, 'schedule not started'));
    }
    await scheduler.startWorker(async (tick) => {
      const schedule = await store.get('schedules', tick.scheduleId);
      if (!schedule) return; // deleted after the tick was queued
      if (!schedule.manifestPath && !opts.manifestPath) {
        log.warn({ scheduleId: schedule.id }, 'scheduled sweep skipped: no manifest (faultline serve --manifest)');
        return;
      }
      const manifest = await pipeline.loadManifest(schedule.manifestPath ?? opts.manifestPath!);
      await runSweep({ store, pipeline, runs: app.faultline.runs, clock: systemClock, log, notifier, publicUrl: config.api.publicUrl }, manifest, { trigger: 'schedule', scheduleId: schedule.id });
    });
  }
  if (notifier) void flushOutbox({ store, notifier, clock: systemClock, log });

  const address = await app.listen({ host: config.api.host, port: config.api.port });
  log.info({ url: address, injector: injector.describe, executor: executor.describe }, 'faultline serving');

  let stopping: Promise<void> | undefined;
  const stop = (s: { graceMs?: number } = {}) =>
    (stopping ??= (async () => {
      await gracefulShutdown({ app, runs: app.faultline.runs, executor: executor!, injector: injector!, scheduler, log }, s.graceMs ?? 30_000);
      for (const c of closers) await c().catch(() => undefined);
      await telemetry.shutdown().catch(() => undefined);
      log.info({}, 'stopped');
    })());

  if (opts.handleSignals) {
    // SIGHUP too (a closed terminal); a repeated signal joins the stop under way instead of killing it half-way.
    onStopSignals(() => void stop().then(() => process.exit(0)));
  }
  return { app, url: address, stop };
}

/**
 * The wiring document of `serve --manifest`: a manifest that does not load
 * yet must not keep the API down (requests report it), so it only costs
 * its toxiproxy.url here.
 */
async function serverDocument(pipeline: Pipeline, manifestPath: string | undefined, log: Log): Promise<WiringDocument | undefined> {
  if (!manifestPath) return undefined;
  try {
    const m = await pipeline.loadManifest(manifestPath);
    return { kind: 'manifest', baseDir: dirname(manifestPath), toxiproxy: m.toxiproxy, traces: m.traces };
  } catch (err) {
    log.warn({ err }, `manifest ${manifestPath} did not load; wiring from the environment`);
    return undefined;
  }
}
