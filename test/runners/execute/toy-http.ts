/**
 * A tiny node:http server whose behaviour each test sets: fixed delay,
 * status, or never answering. It records what it received so tests can
 * assert on rendered templates and idempotency headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ToyHttp {
  url: string;
  received: Received[];
  /** Current behaviour; change it any time. */
  behaviour: { delayMs: number; status: number; hang: boolean };
  close(): Promise<void>;
}

export async function startToyHttp(): Promise<ToyHttp> {
  const received: Received[] = [];
  const behaviour = { delayMs: 0, status: 200, hang: false };
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (behaviour.hang) {
        open.add(res);
        return;
      }
      setTimeout(() => {
        res.writeHead(behaviour.status, { 'content-type': 'application/json', 'x-served-by': 'toy-1' });
        res.end(JSON.stringify({ n: received.length }));
      }, behaviour.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    behaviour,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
