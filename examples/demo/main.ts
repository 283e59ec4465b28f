/**
 * Run the demo shop by hand: `node --import tsx examples/demo/main.ts`
 * (env: DEMO_BUGS, REDIS_URL, OTLP_ENDPOINT, TOXIPROXY_URL). Prints where
 * everything listens and the manifest faultline can run against, then keeps
 * the shop up until Ctrl-C. This is the demo's own entry point; faultline's
 * `demo` command uses startDemo() directly.
 */
import { stringify } from 'yaml';
import { oneLine } from '../../base/errors.js';
import { startDemo } from './index.js';

try {
  const demo = await startDemo({
    bugs: process.env.DEMO_BUGS ? process.env.DEMO_BUGS.split(',') : 'all',
    redisUrl: process.env.REDIS_URL || undefined,
    otlpEndpoint: process.env.OTLP_ENDPOINT || undefined,
    proxyUrl: process.env.TOXIPROXY_URL || undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${stringify({ gateway: demo.gatewayUrl, proxy: demo.proxyUrl, otlp: demo.otlpEndpoint, bugs: demo.bugs, manifest: demo.manifest })}\n`);
  process.stderr.write('demo running; Ctrl-C stops it\n');
  const stop = () => void demo.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`${oneLine(err)}\n`);
  process.exit(1);
}
