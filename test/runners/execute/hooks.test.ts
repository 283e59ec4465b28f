import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeforeScenarioHooks } from '../../../runners/execute/scenario/hooks.js';

// A system with a reset endpoint and one that refuses.
let server: Server;
let base = '';
const calls: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url} ${body}`);
      res.statusCode = req.url === '/reset' ? 204 : 500;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('before-scenario hooks', () => {
  it('calls every hook in order with its method and body', async () => {
    calls.length = 0;
    const problem = await runBeforeScenarioHooks(
      [{ method: 'POST', url: `${base}/reset`, body: { what: 'breakers' } }, { method: 'DELETE', url: `${base}/reset` }],
      (u, i) => fetch(u, i),
    );
    expect(problem).toBeUndefined();
    expect(calls).toEqual(['POST /reset {"what":"breakers"}', 'DELETE /reset ']);
  });

  it('names the hook and the status when a hook fails, and stops there', async () => {
    calls.length = 0;
    const problem = await runBeforeScenarioHooks(
      [{ method: 'POST', url: `${base}/broken` }, { method: 'POST', url: `${base}/reset` }],
      (u, i) => fetch(u, i),
    );
    expect(problem).toMatch(/^before-scenario hook POST http:\/\/127\.0\.0\.1:\d+\/broken failed: /);
    expect(calls).toEqual(['POST /broken ']);
  });
});
