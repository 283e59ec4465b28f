/**
 * The logging surface the service needs: a narrow slice of pino's Logger,
 * so a real pino instance fits and tests can pass `silentLog`.
 */

/** Structured log sink (pino-compatible). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A log that drops everything. */
export const silentLog: Log = { info() {}, warn() {}, error() {} };
