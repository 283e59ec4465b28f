/**
 * Credentials and headers for `--jaeger URL` / `--tempo URL` on the command
 * line, the flag form of a manifest's `traces.headers` and `traces.auth`
 * (ingest/backend-auth.ts): secrets are named by environment variable
 * (`--bearer-token-env TEMPO_TOKEN`), never typed into a flag that shell
 * history and process lists keep.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../base/errors.js';
import type { BackendConnectionSpec } from '../../ingest/backend-auth.js';

/** The flags registerBackendFlags adds. */
export interface BackendFlags {
  header?: string[];
  bearerTokenEnv?: string;
  orgId?: string;
  caFile?: string;
}

/** Add the backend credential flags to a command. */
export function registerBackendFlags(cmd: Command): Command {
  return cmd
    .option('--header <name:value>', 'extra header for Jaeger/Tempo requests (repeatable), e.g. "X-Team: payments"', (v: string, all: string[] = []) => [...all, v])
    .option('--bearer-token-env <VAR>', 'send Authorization: Bearer with the token in this environment variable')
    .option('--org-id <tenant>', 'X-Scope-OrgID tenant (multi-tenant Tempo, Grafana Cloud)')
    .option('--ca-file <pem>', 'trust this CA for an https Jaeger/Tempo');
}

/** The connection spec the flags describe (headers and auth of a jaeger/tempo TraceSourceSpec). */
export function backendConnection(flags: BackendFlags, cwd: string): BackendConnectionSpec {
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$/.exec(h);
    if (!m) throw fail('BAD_INPUT', `--header must be "Name: value", got ${JSON.stringify(h)}`, { flag: '--header' });
    if (m[1].toLowerCase() === 'authorization') throw fail('BAD_INPUT', '--header: pass credentials with --bearer-token-env (or user:password@ in the URL), not as a header', { flag: '--header' });
    headers[m[1]] = m[2];
  }
  const auth = {
    ...(flags.bearerTokenEnv ? { bearerTokenEnv: flags.bearerTokenEnv } : {}),
    ...(flags.orgId ? { orgId: flags.orgId } : {}),
    ...(flags.caFile ? { caFile: resolve(cwd, flags.caFile) } : {}),
  };
  return { ...(Object.keys(headers).length ? { headers } : {}), ...(Object.keys(auth).length ? { auth } : {}) };
}
