/**
 * Credentials and headers for a tracing backend as teams run them: a bearer
 * token, basic auth (Grafana Cloud's Tempo: instance id + API token),
 * `X-Scope-OrgID` for multi-tenant Tempo, extra headers, and a CA file for a
 * backend behind a private TLS certificate.
 *
 * The manifest (and so every plan copied from it) holds only the NAMES of
 * environment variables that carry secrets (`bearerTokenEnv: TEMPO_TOKEN`);
 * the values are looked up here through a function src/config.ts hands
 * down, so a secret never lands in a plan file, a log line or an error
 * message — errors name the variable, never its value.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { fail } from '../base/errors.js';
import type { FetchLike } from './backend-http.js';

/** The `auth:` block of a Jaeger or Tempo trace source, as written in the manifest. */
export interface BackendAuthSpec {
  /** Environment variable holding a bearer token (`Authorization: Bearer …`). */
  bearerTokenEnv?: string;
  /** Basic auth: the user name (or the variable holding it) and the variable holding the password or API token. */
  basic?: { username?: string; usernameEnv?: string; passwordEnv: string };
  /** Tenant for multi-tenant Tempo / Grafana Cloud (`X-Scope-OrgID`), or the variable holding it. */
  orgId?: string;
  orgIdEnv?: string;
  /** PEM file of the CA that signed the backend's certificate (relative paths: against the manifest's folder). */
  caFile?: string;
}

/** A trace source spec's connection settings: non-secret headers plus the auth block. */
export interface BackendConnectionSpec {
  /** Extra request headers, literal values (nothing secret: they are copied into plans). */
  headers?: Record<string, string>;
  auth?: BackendAuthSpec;
}

/** What the clients send: every header, and the CA to trust (PEM text), if any. */
export interface ResolvedBackendAuth {
  headers: Record<string, string>;
  ca?: string;
}

/** How secrets and files are read: injected by src/ (config.secretFromEnv, the file system). */
export interface AuthResolver {
  secret: (envName: string) => string | undefined;
  readFile: (path: string) => string;
}

function required(resolver: AuthResolver, envName: string, what: string): string {
  const value = resolver.secret(envName);
  if (value === undefined || value === '') throw fail('CONFIG_INVALID', `traces.auth: ${what} comes from the environment variable ${envName}, which is not set`, { env: envName });
  return value;
}

/** Resolve a spec's headers and credentials; CONFIG_INVALID naming the variable or file when one is missing. */
export function resolveBackendAuth(spec: BackendConnectionSpec, resolver: AuthResolver): ResolvedBackendAuth {
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  const auth = spec.auth;
  if (!auth) return { headers };
  if (auth.bearerTokenEnv) headers.authorization = `Bearer ${required(resolver, auth.bearerTokenEnv, 'the bearer token')}`;
  if (auth.basic) {
    const user = auth.basic.usernameEnv ? required(resolver, auth.basic.usernameEnv, 'the basic-auth user name') : auth.basic.username ?? '';
    const password = required(resolver, auth.basic.passwordEnv, 'the basic-auth password');
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  const orgId = auth.orgIdEnv ? required(resolver, auth.orgIdEnv, 'the X-Scope-OrgID tenant') : auth.orgId;
  if (orgId) headers['X-Scope-OrgID'] = orgId;
  let ca: string | undefined;
  if (auth.caFile) {
    try {
      ca = resolver.readFile(auth.caFile);
    } catch (err) {
      throw fail('CONFIG_INVALID', `traces.auth.caFile: cannot read ${auth.caFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: auth.caFile }, err);
    }
  }
  return { headers, ca };
}

/**
 * A fetch that trusts `ca` (PEM) for https, over node:https: Node's global
 * fetch takes no per-request CA without an extra dispatcher package.
 * Enough for the GETs of the backend clients: status, headers, body stream.
 */
export function fetchTrustingCa(ca: string): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const u = new URL(url);
      const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(u, { method: 'GET', headers: init?.headers, ca, signal: init?.signal }, (res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 502;
        // A 204/304 Response may not have a body.
        const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers }));
      });
      req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
      req.end();
    });
}
