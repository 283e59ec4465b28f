/**
 * Which fault injector, executor and trace source a command, the server or
 * a worker uses, decided in one place with one precedence, as
 * OpenTelemetry's SDK does when it is created from the environment: what
 * the caller said explicitly (CLI flags, API body) beats what the
 * manifest or plan says, which beats the environment (src/config.ts),
 * which beats the built-in default. Pure: values in, a value out, so the
 * precedence is one table test.
 */
import { isAbsolute, resolve } from 'node:path';
import type { TraceSourceSpec } from '../../ingest/trace-source.js';
import type { Config } from '../config.js';

/** Where a wiring decision came from (shown to users, checked by the precedence test). */
export type WiringOrigin = 'option' | 'manifest' | 'plan' | 'environment' | 'default';

/** What the caller said explicitly: CLI flags or an API request body. */
export interface WiringOptions {
  /** A Toxiproxy-compatible API to fault through (`--toxiproxy-url`). */
  toxiproxyUrl?: string;
  /** BullMQ's Redis (overrides REDIS_URL). */
  redisUrl?: string;
  /** Run scenarios in this process even when REDIS_URL is set (`--in-process`). */
  inProcess?: boolean;
  /** A trace source replacing the document's (paths already absolute). */
  traces?: TraceSourceSpec;
}

/** The manifest or plan being wired, and the folder its relative paths mean. */
export interface WiringDocument {
  kind: 'manifest' | 'plan';
  /** Folder of the manifest or plan file: relative trace paths resolve here. */
  baseDir: string;
  toxiproxy?: { url?: string };
  traces?: TraceSourceSpec;
}

/** The fault injector chosen. */
export type InjectorChoice =
  | { kind: 'toxiproxy'; url: string; from: Exclude<WiringOrigin, 'default'> }
  | { kind: 'in-process'; from: 'default' };

/** The executor chosen. */
export type ExecutorChoice =
  | { kind: 'bullmq'; redisUrl: string; from: 'option' | 'environment' }
  | { kind: 'in-process'; from: 'option' | 'default' };

/** The trace source chosen (file paths absolute). */
export interface TracesChoice {
  spec: TraceSourceSpec;
  from: 'option' | 'manifest' | 'plan';
}

/** Every wiring decision, with where each came from. */
export interface WiringChoice {
  injector: InjectorChoice;
  executor: ExecutorChoice;
  traces?: TracesChoice;
}

/** Decide the wiring: options > manifest/plan > environment > default. */
export function chooseWiring(options: WiringOptions, doc: WiringDocument | undefined, config: Pick<Config, 'toxiproxyUrl' | 'redisUrl'>): WiringChoice {
  return {
    injector: chooseInjector(options, doc, config),
    executor: chooseExecutor(options, config),
    ...(options.traces ? { traces: { spec: options.traces, from: 'option' as const } } : doc?.traces ? { traces: { spec: resolveTracePaths(doc.traces, doc.baseDir), from: doc.kind } } : {}),
  };
}

function chooseInjector(options: WiringOptions, doc: WiringDocument | undefined, config: Pick<Config, 'toxiproxyUrl'>): InjectorChoice {
  if (options.toxiproxyUrl) return { kind: 'toxiproxy', url: trimUrl(options.toxiproxyUrl), from: 'option' };
  if (doc?.toxiproxy?.url) return { kind: 'toxiproxy', url: trimUrl(doc.toxiproxy.url), from: doc.kind };
  if (config.toxiproxyUrl) return { kind: 'toxiproxy', url: trimUrl(config.toxiproxyUrl), from: 'environment' };
  return { kind: 'in-process', from: 'default' };
}

function chooseExecutor(options: WiringOptions, config: Pick<Config, 'redisUrl'>): ExecutorChoice {
  if (options.inProcess) return { kind: 'in-process', from: 'option' };
  if (options.redisUrl) return { kind: 'bullmq', redisUrl: options.redisUrl, from: 'option' };
  if (config.redisUrl) return { kind: 'bullmq', redisUrl: config.redisUrl, from: 'environment' };
  return { kind: 'in-process', from: 'default' };
}

/**
 * Trace file paths resolved against the document's folder: a manifest or
 * plan means the same files wherever the command is started from.
 */
export function resolveTracePaths(spec: TraceSourceSpec, baseDir: string): TraceSourceSpec {
  // A backend's CA file is a path in the document too.
  if ((spec.type === 'jaeger' || spec.type === 'tempo') && spec.auth?.caFile && !isAbsolute(spec.auth.caFile)) return { ...spec, auth: { ...spec.auth, caFile: resolve(baseDir, spec.auth.caFile) } };
  if (spec.type !== 'files') return spec;
  return { ...spec, paths: spec.paths.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p))) };
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
