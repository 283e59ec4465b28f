/** The fault proxy and an echo server behind it, shared by one test file. */
import { afterAll, beforeAll } from 'vitest';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { startEcho } from './sockets.js';

/** Filled before the file's tests run, closed after them. */
export interface EchoProxyRig {
  server: RunningFaultProxy;
  echo: Awaited<ReturnType<typeof startEcho>>;
}

/** Register the hooks that start and stop the rig; read its fields inside tests only. */
export function echoProxyRig(): EchoProxyRig {
  const rig = {} as EchoProxyRig;
  beforeAll(async () => {
    rig.server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    rig.echo = await startEcho();
  });
  afterAll(async () => {
    await rig.server.close();
    await rig.echo.close();
  });
  return rig;
}
