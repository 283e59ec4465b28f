/**
 * What the API answers below the routes, over a real socket: over-long URLs
 * and headers, and clients that send their request too slowly.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, harness, type Harness } from '../harness.js';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await harness({ FAULTLINE_HEADERS_TIMEOUT_MS: '400', FAULTLINE_REQUEST_TIMEOUT_MS: '800' });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as { port: number }).port;
});
afterAll(async () => h.app.close());

/** Write `head` and resolve with what the server sent once it closes the socket (or after `maxMs`). */
function rawExchange(head: string, maxMs = 5000): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    const timer = setTimeout(() => socket.destroy(), maxMs);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

describe('transport-level answers', () => {
  it('answers an over-long path parameter with a 414 problem that does not echo the path', async () => {
    const id = 'a'.repeat(300);
    const res = await fetch(`http://127.0.0.1:${port}/v1/plans/${id}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'URI_TOO_LONG', status: 414, title: 'URI too long' });
    expect(text).not.toContain('aaaaaaaaaa');
  });

  it('answers over-large headers with a 431 problem that does not echo them', async () => {
    const { text } = await rawExchange(`GET /v1/runs HTTP/1.1\r\nHost: x\r\nX-Big: ${'q'.repeat(20_000)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(bodyOf(text)).toMatchObject({ code: 'HEADERS_TOO_LARGE', status: 431 });
    expect(text).not.toContain('qqqqqqqqqq');
  });

  it('cuts off a client that never finishes its headers', async () => {
    const { text, closedAfterMs } = await rawExchange('GET /v1/runs HTTP/1.1\r\nHost: x\r\n');
    expect(closedAfterMs).toBeLessThan(3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(text)).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 });
  });

  it('cuts off a client that trickles its body', async () => {
    const { text, closedAfterMs } = await rawExchange(`POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"plan`);
    expect(closedAfterMs).toBeLessThan(3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });
});
