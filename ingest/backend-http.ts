/**
 * The thin HTTP adapter shared by the Jaeger and Tempo clients: GET a JSON
 * document with a couple of retries on 5xx, mapping failures to stable
 * codes — connection failures → BACKEND_UNAVAILABLE, persistent 5xx and
 * unexpected statuses → BACKEND_RESPONSE (naming the URL and status).
 * 404 is returned to the caller, for whom it usually means "no match".
 * Every request carries the source's headers (credentials resolved by
 * ingest/backend-auth.ts); messages never show them, nor a URL's user info.
 */
import { fail, isFaultlineError } from '../base/errors.js';

/** The fetch signature the clients accept (inject a fake or a custom agent). */
export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

/** Retry policy for one backend. */
export interface HttpOptions {
  fetch: FetchLike;
  /** Extra attempts after a 5xx or connection failure (default 2). */
  retries: number;
  /** Delay before the first retry, doubled each time (default 200 ms). */
  retryDelayMs: number;
  /** Sent with every request: auth, `X-Scope-OrgID`, extra headers. */
  headers?: Record<string, string>;
}

/** A JSON answer: 2xx with a parsed body, or 404 with `body` undefined. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

/** GET `url` as JSON with retries; see the module comment for the error mapping. */
export async function getJson(url: string, opts: HttpOptions, signal?: AbortSignal): Promise<JsonAnswer> {
  const shown = redactUrl(url);
  const headers = { accept: 'application/json', ...opts.headers };
  let lastError: unknown;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(opts.retryDelayMs * 2 ** (attempt - 1), signal);
    let res: Response;
    try {
      res = await opts.fetch(url, { signal, headers });
    } catch (err) {
      if (signal?.aborted) throw err;
      lastError = fail('BACKEND_UNAVAILABLE', `cannot reach ${shown}: ${causeOf(err)}`, { url: shown }, err);
      continue;
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      lastError = fail('BACKEND_RESPONSE', `${shown} answered ${res.status} after ${attempt + 1} attempts`, { url: shown, status: res.status });
      continue;
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return { status: 404, body: undefined };
    }
    if (res.status < 200 || res.status >= 300) {
      const text = (await res.text()).slice(0, 200);
      throw fail('BACKEND_RESPONSE', `${shown} answered ${res.status}${text ? `: ${text}` : ''}`, { url: shown, status: res.status });
    }
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch (err) {
      throw fail('BACKEND_RESPONSE', `${shown} answered ${res.status} with invalid JSON`, { url: shown, status: res.status }, err);
    }
  }
  if (isFaultlineError(lastError)) throw lastError;
  throw fail('BACKEND_UNAVAILABLE', `cannot reach ${shown}`, { url: shown });
}

/** A URL fit for messages: user info (`https://user:secret@host`) removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * A backend base URL without user info, plus the Basic header it stood for:
 * fetch refuses URLs with credentials, and messages must not show them.
 */
export function splitUserInfo(url: string): { url: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, headers: {} };
  }
  if (!u.username && !u.password) return { url, headers: {} };
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  return { url: redactUrl(url), headers: { authorization: `Basic ${basic}` } };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/** Options every windowed backend source (Jaeger, Tempo) shares. */
export interface WindowedSourceOptions {
  /** Initial window width, default 1 h. */
  windowMs?: number;
  /** Range used when the query's start is not finite, default 1 h. */
  lookbackMs?: number;
  fetch?: FetchLike;
  retries?: number;
  retryDelayMs?: number;
  /** Clock (ms) for open-ended queries; injectable for tests. */
  now?: () => number;
  /** Headers sent with every request (resolved credentials, `X-Scope-OrgID`). */
  headers?: Record<string, string>;
}
