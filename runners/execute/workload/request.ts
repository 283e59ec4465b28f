/**
 * One HTTP request of the workload with a client-side timeout. A timeout is
 * its own outcome (Jepsen's "info" op): the effect may or may not have
 * happened, so it is never recorded as success or failure and carries no
 * output.
 */

/** The subset of fetch the driver needs (node's global fetch by default). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A request ready to send. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** What came back. */
export interface RequestOutcome {
  ok: boolean;
  timeout: boolean;
  status?: number;
  output?: unknown;
  error?: string;
  node?: string;
}

const MAX_TEXT_OUTPUT = 2048;

/** Send one request; never throws. */
export async function sendRequest(doFetch: FetchLike, req: OutgoingRequest): Promise<RequestOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const headers = { ...req.headers };
  let body: string | undefined;
  if (req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD') {
    if (typeof req.body === 'string') body = req.body;
    else {
      body = JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  try {
    const res = await doFetch(req.url, { method: req.method, headers, body, signal: controller.signal });
    const text = await res.text();
    const node = res.headers.get('x-served-by') ?? res.headers.get('x-node') ?? undefined;
    const out: RequestOutcome = { ok: res.status >= 200 && res.status < 300, timeout: false, status: res.status, output: parseOutput(text) };
    if (node) out.node = node;
    if (!out.ok) out.error = `HTTP ${res.status}`;
    return out;
  } catch (err) {
    if (timedOut) return { ok: false, timeout: true };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, timeout: false, error: cause?.code ?? cause?.message ?? (err as Error).message ?? String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function parseOutput(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > MAX_TEXT_OUTPUT ? text.slice(0, MAX_TEXT_OUTPUT) : text;
  }
}
