/**
 * `host:port` strings as Toxiproxy's JSON carries them (Go net.JoinHostPort
 * / SplitHostPort): IPv6 hosts in brackets, an empty host meaning all
 * interfaces.
 */
import { fail } from '../../base/errors.js';

/** A parsed `host:port`. */
export interface HostPort {
  host: string;
  port: number;
}

/** Split `host:port`, `[v6]:port` or `:port`; throws BAD_INPUT naming the field. */
export function splitHostPort(value: string, field: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw fail('BAD_INPUT', `${field} must be host:port, got ${JSON.stringify(value)}`, { field });
  }
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Join a host and port back into Toxiproxy's form. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
