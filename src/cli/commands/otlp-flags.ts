/**
 * Where the commands that receive OTLP themselves (`collect`, and `plan`,
 * `run`, `worker` with `traces: {type: otlp}`) listen: `--otlp-port` (or
 * `collect --port`), else FAULTLINE_HOST/FAULTLINE_PORT — the address
 * `faultline serve` receives OTLP on, 4318 (OTLP/HTTP's port) by default,
 * so an exporter configured for one works for the other.
 */
import type { Config } from '../../config.js';
import { numericFlag, type NumberRule } from '../numeric-flag.js';

/** A TCP port (0 picks a free one). */
export const PORT: NumberRule = { expect: 'a port number 0-65535', ok: (n) => Number.isInteger(n) && n >= 0 && n <= 65535 };

/** The receiver's listen address from a port flag and the configuration. */
export function otlpAddress(config: Config, flag: string, raw: string | undefined): { host: string; port: number } {
  return { host: config.api.host, port: numericFlag(flag, raw, PORT) ?? config.api.port };
}
