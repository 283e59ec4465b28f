/**
 * The fault vocabulary: every fault type a plan may use, written out once.
 * The plan schema, the LLM prompt and its answer check, the fault proxy's
 * attribute reader, the injector's types and docs/faults.md are all derived
 * from this table, so a fault cannot mean one thing to the planner and
 * another to the proxy (an `http_delay` planned as `{delay}` while the
 * proxy reads `{latency, jitter}` was injected as 0 ms).
 *
 * Attribute names and units are Toxiproxy's own (its README, "Toxics"), so
 * a plan drives a real Toxiproxy unchanged. Bounds are faultline's: they
 * reject a plan value that is surely a mistake (a latency of 1e9 ms is a
 * hang, not a delay), not everything Toxiproxy would accept.
 */

/** Toxiproxy's streams: upstream = client→server bytes, downstream = server→client bytes. */
export const TOXIC_STREAMS = ['upstream', 'downstream'] as const;

/** One of Toxiproxy's two streams. */
export type ToxicStream = (typeof TOXIC_STREAMS)[number];

/** Unit of a fault attribute, as Toxiproxy counts it. */
export type AttributeUnit = 'ms' | 'µs' | 'KB/s' | 'bytes' | 'HTTP status';

/** One attribute of a fault: an integer in `unit`, within `min..max`. */
export interface FaultAttribute {
  readonly unit: AttributeUnit;
  readonly min: number;
  readonly max: number;
  /** Value when the attribute is left out (Toxiproxy's Go zero value for its own toxics). */
  readonly default: number;
  readonly meaning: string;
}

/**
 * What toxicity is rolled against: each connection (Toxiproxy's links),
 * each HTTP request (faultline's per-request toxics), or nothing because
 * the fault acts on the whole proxy (toxicity is ignored).
 */
export type ToxicityUnit = 'connection' | 'request' | 'proxy';

/** Observable facts that prove a fault touched real traffic. */
export const LANDING_EVIDENCE = {
  'proxy-touched': 'faultline proxy counter: connections the toxic touched',
  'proxy-resets': 'faultline proxy counter: connections the toxic reset',
  'proxy-requests': 'faultline proxy counter: HTTP requests the toxic affected',
  'client-timing': 'the workload sees slower answers than in the baseline',
  'trace-latency': 'the edge is slower in fault-phase traces than in the baseline',
  'trace-errors': 'the edge shows error spans or missing calls in fault-phase traces',
  'refused-connections': 'connections to the proxy are refused (nothing listens while it is disabled)',
} as const satisfies Record<string, string>;

/** One kind of landing evidence. */
export type LandingEvidence = keyof typeof LANDING_EVIDENCE;

/** How a fault is put on a proxy: as a toxic, or by disabling the proxy. */
export type FaultKind = 'toxic' | 'proxy-state';

/** Everything faultline knows about one fault type. */
export interface FaultDefinition {
  /** One line: what the fault does to the bytes or the proxy. */
  readonly description: string;
  readonly kind: FaultKind;
  readonly attributes: Readonly<Record<string, FaultAttribute>>;
  readonly toxicity: ToxicityUnit;
  /** True when only faultline's proxy implements it (a real Toxiproxy answers "invalid toxic type"). */
  readonly faultlineOnly: boolean;
  /** The only stream the fault works on, when it has no choice (requests travel client→server). */
  readonly stream?: 'upstream';
  /** What proves it landed, strongest first. */
  readonly landing: readonly LandingEvidence[];
  /** Why a plan would use it: the claims it can falsify and how. */
  readonly reason: string;
}

const ms = (max: number, meaning: string, min = 0, dflt = 0): FaultAttribute => ({ unit: 'ms', min, max, default: dflt, meaning });
const bytes = (max: number, meaning: string): FaultAttribute => ({ unit: 'bytes', min: 0, max, default: 0, meaning });

/** Toxiproxy latency above a minute is a hang, not a delay. */
const MAX_DELAY_MS = 60_000;
/** Timeouts and resets may wait up to ten minutes (longer than any fault phase). */
const MAX_WAIT_MS = 600_000;
/** One flap half-period: long enough for a connection attempt to see it, short enough to flap within a phase. */
const FLAP_MS = { min: 100, max: 300_000 } as const;

/** The table. Keys are the type names plans, the LLM and the proxy use. */
export const FAULTS = {
  latency: {
    description: 'Delays all data on the stream by latency ± jitter.',
    kind: 'toxic',
    attributes: {
      latency: ms(MAX_DELAY_MS, 'delay added to every chunk'),
      jitter: ms(MAX_DELAY_MS, 'random spread around the delay, ±'),
    },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'trace-latency', 'client-timing'],
    reason: 'A callee slower than its caller\'s timeout makes callers give up and retry, which tests latency SLOs, timeouts and at-most-once effects.',
  },
  bandwidth: {
    description: 'Limits throughput to rate KB/s (0 passes data unthrottled).',
    kind: 'toxic',
    attributes: { rate: { unit: 'KB/s', min: 0, max: 1_000_000, default: 0, meaning: 'throughput limit, 1 KB = 1000 bytes' } },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'client-timing'],
    reason: 'A thin pipe turns large responses slow while small ones stay fast, which tests timeouts sized for payloads.',
  },
  slow_close: {
    description: 'Delays closing the connection by delay ms after the source ends.',
    kind: 'toxic',
    attributes: { delay: ms(MAX_DELAY_MS, 'wait before the close is passed on') },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'client-timing'],
    reason: 'A peer that lingers on close ties up pooled connections, which tests pool limits and clients that wait for EOF.',
  },
  timeout: {
    description: 'Drops all data and closes the connection after timeout ms (0: holds it open until removed).',
    kind: 'toxic',
    attributes: { timeout: ms(MAX_WAIT_MS, 'time until the connection is closed; 0 never closes') },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'trace-errors', 'client-timing'],
    reason: 'A dependency that accepts and never answers shows whether callers set a timeout at all and whether they retry what may have happened.',
  },
  reset_peer: {
    description: 'Resets the connection (TCP RST) timeout ms after data first flows.',
    kind: 'toxic',
    attributes: { timeout: ms(MAX_WAIT_MS, 'wait after the first data before the reset') },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-resets', 'trace-errors'],
    reason: 'A reset after the request was delivered loses the answer, not the work, which tests retries for duplicates and writes for partial effects.',
  },
  slicer: {
    description: 'Cuts data into pieces of average_size ± size_variation bytes, delay µs apart.',
    kind: 'toxic',
    attributes: {
      average_size: bytes(1_000_000, 'average piece size; 0 passes data whole'),
      size_variation: bytes(1_000_000, 'random spread of the piece size, ±, below average_size'),
      delay: { unit: 'µs', min: 0, max: 60_000_000, default: 0, meaning: 'pause between pieces' },
    },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'client-timing'],
    reason: 'Fragmented reads break parsers that assume a message arrives in one chunk.',
  },
  limit_data: {
    description: 'Passes bytes bytes, then closes the connection.',
    kind: 'toxic',
    attributes: { bytes: bytes(1_000_000_000, 'bytes passed before the close') },
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched', 'trace-errors'],
    reason: 'A response cut short after the effect happened makes the caller retry work that was done, which tests at-most-once and exactly-once.',
  },
  noop: {
    description: 'Passes everything through unchanged.',
    kind: 'toxic',
    attributes: {},
    toxicity: 'connection',
    faultlineOnly: false,
    landing: ['proxy-touched'],
    reason: 'A control: proves the proxy sits on the path without changing behaviour.',
  },
  http_error: {
    description: 'Answers a fraction of HTTP/1.1 requests with status without forwarding them.',
    kind: 'toxic',
    attributes: { status: { unit: 'HTTP status', min: 400, max: 599, default: 503, meaning: 'status of the injected answer' } },
    toxicity: 'request',
    faultlineOnly: true,
    stream: 'upstream',
    landing: ['proxy-requests', 'trace-errors'],
    reason: 'A precise per-request error rate tests availability claims and breakers without dropping connections.',
  },
  http_delay: {
    description: 'Delays a fraction of HTTP/1.1 requests by latency ± jitter before forwarding them.',
    kind: 'toxic',
    attributes: {
      latency: ms(MAX_DELAY_MS, 'delay added to each affected request'),
      jitter: ms(MAX_DELAY_MS, 'random spread around the delay, ±'),
    },
    toxicity: 'request',
    faultlineOnly: true,
    stream: 'upstream',
    landing: ['proxy-requests', 'client-timing', 'trace-latency'],
    reason: 'A slow tail on some requests of a kept-alive connection tests p99 SLOs and hedging that per-connection latency cannot reach.',
  },
  down: {
    description: 'Disables the proxy: new connections are refused and open ones closed.',
    kind: 'proxy-state',
    attributes: {},
    toxicity: 'proxy',
    faultlineOnly: false,
    landing: ['refused-connections', 'trace-errors'],
    reason: 'An outage longer than any breaker window tests recovery, queued work and acknowledged operations that must survive it.',
  },
  flap: {
    description: 'Alternates the proxy disabled for down_ms and enabled for up_ms for the whole fault phase.',
    kind: 'proxy-state',
    attributes: {
      down_ms: ms(FLAP_MS.max, 'each disabled spell', FLAP_MS.min, 1000),
      up_ms: ms(FLAP_MS.max, 'each enabled spell between them', FLAP_MS.min, 1000),
    },
    toxicity: 'proxy',
    faultlineOnly: false,
    landing: ['refused-connections', 'trace-errors'],
    reason: 'A dependency that keeps coming back and going away tests breakers that must close again, reconnect logic and retries that straddle an outage.',
  },
} as const satisfies Record<string, FaultDefinition>;

/** Every fault type a plan may use. */
export type FaultType = keyof typeof FAULTS;

/** Fault types that are toxics (everything but proxy-state faults such as `down`). */
export type ToxicType = { [K in FaultType]: (typeof FAULTS)[K]['kind'] extends 'toxic' ? K : never }[FaultType];

/** The table's definition of `type`, widened for code that iterates. */
export function faultOf(type: FaultType): FaultDefinition {
  return FAULTS[type];
}

/** All fault type names, in table order. */
export const FAULT_TYPES = Object.keys(FAULTS) as readonly FaultType[];

/** Toxic type names (what a Toxiproxy server is asked to add). */
export const TOXIC_TYPES = FAULT_TYPES.filter((t): t is ToxicType => faultOf(t).kind === 'toxic');

/** Fault types only faultline's proxy implements (a plan marks scenarios using them). */
export const FAULTLINE_ONLY = FAULT_TYPES.filter((t) => faultOf(t).faultlineOnly);

/** True when `v` names a fault type of the table. */
export function isFaultType(v: unknown): v is FaultType {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(FAULTS, v);
}

/** True when `v` names a toxic type of the table. */
export function isToxicType(v: unknown): v is ToxicType {
  return isFaultType(v) && faultOf(v).kind === 'toxic';
}

/** The attribute values a fault gets when none are given (the table's defaults). */
export function defaultAttributes(type: FaultType): Record<string, number> {
  return Object.fromEntries(Object.entries(faultOf(type).attributes).map(([k, a]) => [k, a.default]));
}
