/**
 * Real loopback peers for the proxy tests: an echo server, a keep-alive
 * HTTP server, and small client helpers that read until a byte count or EOF.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that echoes every byte back. */
export async function startEcho(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.on('end', () => s.end());
    s.pipe(s, { end: false });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** An HTTP/1.1 server answering `200 ok:<path>` with keep-alive. */
export async function startHttp(): Promise<{ port: number; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: HttpServer = createHttpServer((req, res) => {
    count += 1;
    req.resume();
    req.on('end', () => {
      const body = `ok:${req.url}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    requests: () => count,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Connect to 127.0.0.1:port and wait until connected. */
export function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** How a read ended: bytes collected, and whether the socket ended, errored (code) or timed out. */
export interface ReadOutcome {
  data: Buffer;
  chunks: number;
  end: 'eof' | 'error' | 'count' | 'timeout';
  code?: string;
}

/** Read from `s` until `count` bytes (if given), EOF, an error, or `timeoutMs`. */
export function readFrom(s: Socket, opts: { count?: number; timeoutMs?: number } = {}): Promise<ReadOutcome> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const finish = (end: ReadOutcome['end'], code?: string) => {
      clearTimeout(timer);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onError);
      s.off('close', onClose);
      resolve({ data: Buffer.concat(parts), chunks: parts.length, end, code });
    };
    const onData = (d: Buffer) => {
      parts.push(d);
      size += d.length;
      if (opts.count !== undefined && size >= opts.count) finish('count');
    };
    const onEnd = () => finish('eof');
    const onError = (e: NodeJS.ErrnoException) => finish('error', e.code);
    const onClose = () => finish('eof');
    const timer = setTimeout(() => finish('timeout'), opts.timeoutMs ?? 5000);
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onError);
    s.once('close', onClose);
  });
}

/** Write `payload` and time how long until it has all come back. */
export async function roundTrip(s: Socket, payload: Buffer): Promise<{ ms: number; data: Buffer }> {
  const t0 = performance.now();
  const read = readFrom(s, { count: payload.length });
  s.write(payload);
  const out = await read;
  return { ms: performance.now() - t0, data: out.data };
}
