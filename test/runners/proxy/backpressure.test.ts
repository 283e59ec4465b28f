/**
 * Back-pressure is per link: a client that stops reading holds up its own
 * connection only, and the proxy stops reading for it instead of buffering
 * without bound (Toxiproxy gets this from its blocking channels). No timing
 * is asserted: the fast connection must finish, and the bytes the proxy
 * read for the stalled one must stay far below what its peer tried to send.
 */
import { describe, expect, it } from 'vitest';
import { echoProxyRig } from './echo-proxy.js';
import { dial, roundTrip } from './sockets.js';

const MiB = 1 << 20;
const rig = echoProxyRig();

describe.each([
  ['no toxic', []],
  ['a noop toxic on both streams', [{ type: 'noop', stream: 'upstream' }, { type: 'noop', stream: 'downstream' }]],
])('a slow reader with %s', (label, toxics) => {
  it('does not hold up another connection through the same proxy', async () => {
    const name = `bp_${label.replace(/\W+/g, '_')}`;
    const state = await rig.server.registry.create({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${rig.echo.port}` });
    for (const t of toxics) rig.server.registry.addToxic(name, t);
    const port = Number(state.listen.split(':')[1]);

    // The slow reader sends 256 MiB (one buffer, by reference) and reads none of the echo.
    const slow = await dial(port);
    slow.pause();
    const block = Buffer.alloc(16 * MiB, 1);
    for (let i = 0; i < 16; i++) slow.write(block);

    const fast = await dial(port);
    const payload = Buffer.alloc(8 * MiB, 2);
    const rt = await roundTrip(fast, payload);
    expect(rt.data.equals(payload)).toBe(true);

    const c = rig.server.registry.allCounters().find((x) => x.proxy === name);
    expect(c?.activeConnections).toBe(2);
    // Everything but the fast connection's 8 MiB is the slow one's; without
    // per-link back-pressure the proxy would keep reading its 256 MiB.
    expect((c?.bytesDownstream ?? 0) - payload.length).toBeLessThan(128 * MiB);
    expect((c?.bytesUpstream ?? 0) - payload.length).toBeLessThan(128 * MiB);
    slow.destroy();
    fast.destroy();
    await rig.server.registry.remove(name);
  });
});
