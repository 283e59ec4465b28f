/**
 * The one place that builds the fault injector, the executor and the trace
 * source, for every command, the server and the worker. The choice
 * (src/wiring/choice.ts) is options > manifest/plan > environment >
 * default; this module turns it into running adapters: a Toxiproxy API or
 * faultline's own proxy (src/wiring/fault-proxy.ts), the in-process
 * executor wired per plan or BullMQ, and the plan's trace source — with
 * faultline's OTLP receiver started when the traces are pushed to it.
 * The stages themselves (ingest, graph, plans) come from the Pipeline.
 */
import { SpanStore } from '../ingest/span-store.js';
import { traceSourceFromSpec } from '../ingest/source-factory.js';
import type { TraceSource, TraceSourceSpec } from '../ingest/trace-source.js';
import { BullmqExecutor } from '../runners/execute/bullmq-executor.js';
import type { Executor } from '../runners/execute/executor.js';
import type { ScenarioPlanContext } from '../runners/execute/scenario/context.js';
import type { FaultInjector } from '../runners/faults/fault-injector.js';
import type { Config } from './config.js';
import { chooseWiring, resolveTracePaths, type WiringChoice, type WiringDocument, type WiringOptions } from './wiring/choice.js';
import { openFaultProxy, type FaultProxyHandle } from './wiring/fault-proxy.js';
import { listenOtlp, type OtlpListener } from './wiring/otlp-listener.js';
import { PlanWiredExecutor, type ExecutorTuning } from './wiring/plan-executor.js';

export { chooseWiring, resolveTracePaths, type WiringChoice, type WiringDocument, type WiringOptions } from './wiring/choice.js';

/** What to wire. */
export interface WiringInput {
  config: Config;
  options?: WiringOptions;
  /** The manifest or plan being run (its toxiproxy.url and traces). */
  doc?: WiringDocument;
  /** The OTLP receiver store this process already has (`serve`): otlp traces read it. */
  spanStore?: SpanStore;
  /** Start an OTLP receiver here when the traces are otlp and no store was given. */
  otlpListen?: { host: string; port: number };
  /** Build the injector even when scenarios run on BullMQ workers (the server stops toxics through it). */
  injectorAlways?: boolean;
  tuning?: ExecutorTuning;
  /** Lines for people (which proxy, where to send spans). */
  note?: (line: string) => void;
}

/** Running adapters; close() releases what was started here. */
export interface Wiring {
  readonly choice: WiringChoice;
  readonly executor: Executor;
  /** Absent when scenarios run on BullMQ workers and no injector was asked for. */
  readonly proxy?: FaultProxyHandle;
  readonly injector?: FaultInjector;
  /** The document's trace source, if this process can read it. */
  readonly traceSource?: TraceSource;
  readonly spanStore?: SpanStore;
  readonly otlp?: OtlpListener;
  close(): Promise<void>;
}

/** Build the adapters for a command or the server. */
export async function wire(input: WiringInput): Promise<Wiring> {
  const options = input.options ?? {};
  const choice = chooseWiring(options, input.doc, input.config);
  const note = input.note ?? (() => undefined);
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let spanStore = input.spanStore;
    let otlp: OtlpListener | undefined;
    // Only an in-process run reads the spans; BullMQ workers receive their own (`faultline worker --otlp-port`).
    if (!spanStore && choice.traces?.spec.type === 'otlp' && input.otlpListen && choice.executor.kind === 'in-process') {
      spanStore = new SpanStore(input.config.ingest.retainSpans);
      otlp = await listenOtlp({ ...input.otlpListen, store: spanStore, limits: { ...input.config.api, ...input.config.ingest } });
      closers.push(() => otlp!.close());
      note(`receiving OTLP at ${otlp.url}: point OTEL_EXPORTER_OTLP_ENDPOINT=${otlp.url} at it so runs see per-phase spans`);
    }
    const baseDir = input.doc?.baseDir ?? process.cwd();
    const traceSourceFor = (spec: TraceSourceSpec | undefined): TraceSource | undefined => {
      const chosen = choice.traces?.from === 'option' ? choice.traces.spec : spec;
      return sourceOf(chosen && resolveTracePaths(chosen, baseDir), spanStore, input.config.secretFromEnv);
    };
    let proxy: FaultProxyHandle | undefined;
    if (choice.executor.kind === 'in-process' || input.injectorAlways) {
      proxy = await openFaultProxy(choice.injector);
      closers.push(() => proxy!.close());
      note(proxy.inProcess ? `started faultline's fault proxy at ${proxy.url}` : `faulting through ${proxy.url} (${choice.injector.from === 'option' ? 'flag' : choice.injector.from})`);
    }
    const executor: Executor = choice.executor.kind === 'bullmq'
      ? new BullmqExecutor({ redisUrl: choice.executor.redisUrl })
      : new PlanWiredExecutor({ proxy: proxy!, traceSourceFor, tuning: input.tuning });
    closers.push(() => executor.close());
    return { choice, executor, proxy, injector: proxy?.injector, traceSource: traceSourceFor(choice.traces?.spec), spanStore, otlp, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A worker's wiring: each job is wired from its own plan. */
export interface WorkerWiring {
  /** The injector named by flag or environment (or the worker's own proxy): leftover toxics are cleaned there at start. */
  readonly injector: FaultInjector;
  jobDeps(plan: ScenarioPlanContext): Promise<{ injector: FaultInjector; traceSource?: TraceSource }>;
  close(): Promise<void>;
}

/** Wire a BullMQ worker: per job, options > the job's plan > environment > the worker's own proxy. */
export async function wireWorker(input: Omit<WiringInput, 'doc' | 'injectorAlways' | 'tuning'>): Promise<WorkerWiring> {
  const options = input.options ?? {};
  const proxies = new Map<string, Promise<FaultProxyHandle>>();
  const handle = (choice: WiringChoice['injector']) => {
    const key = choice.kind === 'toxiproxy' ? choice.url : 'in-process';
    if (!proxies.has(key)) proxies.set(key, openFaultProxy(choice));
    return proxies.get(key)!;
  };
  let spanStore = input.spanStore;
  let otlp: OtlpListener | undefined;
  if (!spanStore && input.otlpListen) {
    spanStore = new SpanStore(input.config.ingest.retainSpans);
    otlp = await listenOtlp({ ...input.otlpListen, store: spanStore, limits: { ...input.config.api, ...input.config.ingest } });
    input.note?.(`receiving OTLP at ${otlp.url} for plans with traces: {type: otlp}`);
  }
  const base = await handle(chooseWiring(options, undefined, input.config).injector);
  if (base.inProcess) input.note?.(`started faultline's fault proxy at ${base.url}; plans' proxies are created on it per job`);
  return {
    injector: base.injector,
    async jobDeps(plan) {
      // Job plans carry absolute trace paths (run and the API resolve them before enqueueing).
      const choice = chooseWiring(options, { kind: 'plan', baseDir: process.cwd(), toxiproxy: plan.toxiproxy, traces: plan.traces }, input.config);
      const proxy = await handle(choice.injector);
      await proxy.provision(plan.proxies);
      return { injector: proxy.injector, traceSource: sourceOf(choice.traces?.spec, spanStore, input.config.secretFromEnv) };
    },
    async close() {
      for (const p of proxies.values()) await (await p.catch(() => undefined))?.close().catch(() => undefined);
      await otlp?.close().catch(() => undefined);
    },
  };
}

/** A spec's trace source; otlp needs a receiver store in this process (else there is none to read). */
function sourceOf(spec: TraceSourceSpec | undefined, store: SpanStore | undefined, secret: (envName: string) => string | undefined): TraceSource | undefined {
  if (!spec) return undefined;
  if (spec.type === 'otlp') return store;
  return traceSourceFromSpec(spec, undefined, { secret });
}
