/**
 * The one error family of faultline. Every expected failure (bad input,
 * unreachable backend, missing artifact) is a FaultlineError with a stable
 * `code`; callers branch on the code, never on the message text. The HTTP
 * status travels with the code so the single Fastify error handler can turn
 * it into application/problem+json without a lookup table elsewhere.
 *
 * An expected outcome such as a failing system under test is a value (a
 * verdict), never one of these.
 */

/** Stable error codes. Add, never rename: API clients match on them. */
export const ErrorCodes = {
  BAD_INPUT: { status: 400, title: 'Bad input' },
  MANIFEST_INVALID: { status: 400, title: 'Invalid manifest' },
  PLAN_INVALID: { status: 400, title: 'Invalid plan' },
  TRACE_FORMAT: { status: 400, title: 'Unrecognised trace format' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid bearer token' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PORT_IN_USE: { status: 409, title: 'Listen port already in use' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  /** Nothing to run: a plan without scenarios, a run that executed none, a sweep with no traces in its window. */
  EMPTY: { status: 422, title: 'Nothing to run' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  QUEUE_FULL: { status: 429, title: 'Ingest queue full' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  BACKEND_UNAVAILABLE: { status: 502, title: 'Backend unavailable' },
  BACKEND_RESPONSE: { status: 502, title: 'Backend answered with an error' },
  PROXY_UNAVAILABLE: { status: 502, title: 'Fault proxy unavailable' },
  LLM_FAILED: { status: 502, title: 'LLM request failed' },
  NOT_READY: { status: 503, title: 'Not ready' },
  CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

/** One of the stable error codes above. */
export type ErrorCode = keyof typeof ErrorCodes;

/** An expected failure with a stable code, an HTTP status and optional details. */
export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Machine-readable context (e.g. the offending key path); never a stack. */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FaultlineError';
    this.code = code;
    this.statusCode = ErrorCodes[code].status;
    if (details) this.details = details;
  }
}

/** Shorthand constructor: `fail('NOT_FOUND', 'plan p-1 not found')`. */
export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown): FaultlineError {
  return new FaultlineError(code, message, details, cause === undefined ? undefined : { cause });
}

/** True when `err` is a FaultlineError, optionally with the given code. */
export function isFaultlineError(err: unknown, code?: ErrorCode): err is FaultlineError {
  return err instanceof FaultlineError && (code === undefined || err.code === code);
}

/** A one-line reason for the CLI: the message of a FaultlineError, else a generic line. */
export function oneLine(err: unknown): string {
  if (err instanceof FaultlineError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `INTERNAL: ${err.message.split('\n')[0]}`;
  return `INTERNAL: ${String(err)}`;
}
