/**
 * A worker in its own process, for the test that SIGKILLs a worker
 * mid-fault. argv: redisUrl proxyUrl queueName owner.
 */
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import { startWorker } from '../../../runners/execute/scenario-worker.js';

const [redisUrl, proxyUrl, queueName, owner] = process.argv.slice(2);
await startWorker({ redisUrl, queueName, owner, injector: new ToxiproxyInjector(proxyUrl), lockDurationMs: 1500, stalledIntervalMs: 1000, ttlMarginMs: 300, quiesceMs: 50 });
process.stdout.write('ready\n');
