import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import { executorContract } from './executor.contract.js';

executorContract('in-process', async (rig) => {
  const executor = new InProcessExecutor({ injector: rig.injector, quiesceMs: 50 });
  return { executor, close: () => executor.close() };
});
