/**
 * The process shell every ledger service shares: the demo shop's
 * (examples/demo/runtime/service-process.ts), with this system's bug switch
 * `LEDGER_BUGS`.
 */
import { runServiceProcess, type ServiceContextOf, type ServiceParts } from '../../demo/runtime/service-process.js';
import { parseLedgerBugs, type LedgerBug } from '../bugs.js';

/** What a ledger service's setup receives. */
export type LedgerServiceContext = ServiceContextOf<LedgerBug>;

/** Run one ledger service process until SIGTERM. */
export function runLedgerService(name: string, setup: (ctx: LedgerServiceContext) => Promise<ServiceParts>): Promise<void> {
  return runServiceProcess(name, new Set(parseLedgerBugs(process.env.LEDGER_BUGS)), setup);
}
