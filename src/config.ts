/**
 * Configuration: read from the environment (and CLI flags) in this one
 * place, validated once, frozen and passed down. Core code never reads
 * process.env.
 */
import { delimiter, resolve } from 'node:path';
import { fail } from '../base/errors.js';
import type { LlmEndpoint } from '../generators/plan-pipeline.js';

/** The frozen process configuration. */
export interface Config {
  /** Where plans, runs, findings and graph snapshots are kept. */
  readonly dataDir: string;
  /** BullMQ's Redis; absent means scenarios run in-process. */
  readonly redisUrl?: string;
  /** A Toxiproxy-compatible API; absent means faultline starts its own proxy in-process. */
  readonly toxiproxyUrl?: string;
  readonly openai: LlmEndpoint;
  readonly slackWebhookUrl?: string;
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Bearer tokens accepted on mutating routes. Empty = mutating routes refused (unless authDisabled). */
    readonly tokens: readonly string[];
    /** Whether GET routes need no token. */
    readonly readsOpen: boolean;
    /** Body limit for JSON routes (bytes). */
    readonly bodyLimitBytes: number;
    /** Body limit for OTLP ingest (bytes). */
    readonly otlpBodyLimitBytes: number;
    /** Requests per minute per client on mutating routes. */
    readonly rateLimitPerMinute: number;
    /** Base URL people reach the API at (for links in digests). */
    readonly publicUrl?: string;
    /** Time a client has to send its request headers (ms); a slow sender is cut off with 408. */
    readonly headersTimeoutMs: number;
    /** Time a client has to send its whole request, body included (ms). */
    readonly requestTimeoutMs: number;
    /**
     * Folders whose files a manifest uploaded over the API may name
     * (traces.files, claimsFile). Empty: none (the default; the server's own
     * manifest and the CLI are not confined).
     */
    readonly fileRoots: readonly string[];
    /** Largest file an uploaded manifest may name (bytes). */
    readonly maxFileBytes: number;
  };
  readonly schedules: {
    /** Shortest interval between two ticks of a sweep schedule (ms). */
    readonly minIntervalMs: number;
  };
  readonly ingest: {
    /** Spans kept by the OTLP receiver's in-memory store (oldest dropped first, counted). */
    readonly retainSpans: number;
    /** Pending OTLP batches before the receiver answers 429. */
    readonly queueCapacity: number;
    /** Approximate bytes the OTLP receiver's store may hold (oldest spans evicted first, counted). */
    readonly retainBytes: number;
    /** Longest span name or attribute value kept at ingest (characters; longer ones are truncated and counted). */
    readonly maxTextLength: number;
  };
  /** OTLP endpoint for faultline's own traces; off when absent. */
  readonly otelEndpoint?: string;
  readonly logLevel: string;
  /** GitHub Actions' job summary file (GITHUB_STEP_SUMMARY): `run` appends its verdict table there. */
  readonly githubStepSummary?: string;
  /**
   * The value of the environment variable a manifest names for a secret
   * (`auth: { bearerTokenEnv: TEMPO_TOKEN }`): manifests and plans carry the
   * variable's name, never the secret, and only this reads it.
   */
  readonly secretFromEnv: (name: string) => string | undefined;
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, dflt: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw fail('CONFIG_INVALID', `${key} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`, { key });
  }
  return n;
}

function url(env: Env, key: string): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  try {
    new URL(raw);
  } catch {
    throw fail('CONFIG_INVALID', `${key} must be a URL, got ${JSON.stringify(raw)}`, { key });
  }
  return raw.replace(/\/+$/, '');
}

/** Node refuses a headers timeout longer than the request timeout; say so by name instead. */
function requestTimeouts(env: Env): { headersTimeoutMs: number; requestTimeoutMs: number } {
  const headersTimeoutMs = int(env, 'FAULTLINE_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = int(env, 'FAULTLINE_REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw fail('CONFIG_INVALID', `FAULTLINE_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed FAULTLINE_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`, { key: 'FAULTLINE_HEADERS_TIMEOUT_MS' });
  }
  return { headersTimeoutMs, requestTimeoutMs };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Read, validate and freeze the configuration from an environment map. */
export function loadConfig(env: Env, overrides: Partial<{ dataDir: string; host: string; port: number }> = {}): Config {
  const tokens = (env.FAULTLINE_API_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const config: Config = {
    dataDir: resolve(overrides.dataDir ?? env.FAULTLINE_DATA_DIR ?? '.faultline'),
    redisUrl: url(env, 'REDIS_URL'),
    toxiproxyUrl: url(env, 'TOXIPROXY_URL'),
    openai: {
      baseUrl: url(env, 'OPENAI_BASE_URL'),
      apiKey: env.OPENAI_API_KEY || undefined,
      model: env.FAULTLINE_LLM_MODEL || undefined,
    },
    slackWebhookUrl: url(env, 'SLACK_WEBHOOK_URL'),
    api: {
      host: overrides.host ?? env.FAULTLINE_HOST ?? '127.0.0.1',
      port: overrides.port ?? int(env, 'FAULTLINE_PORT', 4318, 0, 65535),
      tokens,
      readsOpen: (env.FAULTLINE_READS_OPEN ?? 'true') !== 'false',
      bodyLimitBytes: int(env, 'FAULTLINE_BODY_LIMIT', 1_048_576, 1024, 1 << 30),
      otlpBodyLimitBytes: int(env, 'FAULTLINE_OTLP_BODY_LIMIT', 16 * 1_048_576, 1024, 1 << 30),
      rateLimitPerMinute: int(env, 'FAULTLINE_RATE_LIMIT', 120, 1, 1_000_000),
      publicUrl: url(env, 'FAULTLINE_PUBLIC_URL'),
      ...requestTimeouts(env),
      fileRoots: (env.FAULTLINE_FILE_ROOTS ?? '').split(delimiter).map((r) => r.trim()).filter(Boolean).map((r) => resolve(r)),
      maxFileBytes: int(env, 'FAULTLINE_MAX_FILE_BYTES', 64 * 1_048_576, 1024, 1 << 30),
    },
    schedules: {
      minIntervalMs: int(env, 'FAULTLINE_MIN_SCHEDULE_INTERVAL', 3_600_000, 1000, 31 * 86_400_000),
    },
    ingest: {
      retainSpans: int(env, 'FAULTLINE_RETAIN_SPANS', 2_000_000, 1000, 100_000_000),
      queueCapacity: int(env, 'FAULTLINE_INGEST_QUEUE', 64, 1, 100_000),
      retainBytes: int(env, 'FAULTLINE_RETAIN_BYTES', 1 << 30, 1_048_576, 2 ** 40),
      maxTextLength: int(env, 'FAULTLINE_MAX_TEXT_LENGTH', 1024, 64, 1_048_576),
    },
    otelEndpoint: url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    logLevel: env.FAULTLINE_LOG_LEVEL ?? 'info',
    githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    secretFromEnv: (name) => env[name] || undefined,
  };
  return deepFreeze(config);
}
