/**
 * The console's client of faultline's REST API. With reads locked
 * (FAULTLINE_READS_OPEN=false) the server answers 401 and the console asks
 * for a token, keeps it for the browser tab (sessionStorage) and sends it as
 * a bearer header. Live run progress comes over Server-Sent Events read with
 * fetch, because EventSource cannot send that header.
 */

const KEY = 'faultline.token';

/** An API error: the problem document's code and detail. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The token in use, if any. */
export function token(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** Keep (or with '' forget) the token for this tab. */
export function setToken(value: string): void {
  if (value) sessionStorage.setItem(KEY, value);
  else sessionStorage.removeItem(KEY);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const t = token();
  return { accept: 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}), ...extra };
}

async function answer<T>(res: Response): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  let code = 'HTTP_' + res.status;
  let detail = res.statusText;
  try {
    const p = (await res.json()) as { code?: string; detail?: string };
    code = p.code ?? code;
    detail = p.detail ?? detail;
  } catch {
    // Not a problem document: keep the status line.
  }
  throw new ApiError(res.status, code, detail);
}

/** GET a JSON document. */
export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: headers() }));
}

/** POST a JSON body (or none). */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined
    ? { method: 'POST', headers: headers() }
    : { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) };
  return answer<T>(await fetch(path, init));
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Read an SSE stream until it ends or `signal` aborts. */
export async function streamEvents(path: string, onEvent: (e: SseEvent) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal });
  if (!res.ok || !res.body) return void (await answer(res));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent({ event, data: data.join('\n') });
    }
  }
}
