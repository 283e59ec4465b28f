/**
 * The process shell every tickets service shares: the demo shop's
 * (examples/demo/runtime/service-process.ts), with this system's bug switch
 * `TICKETS_BUGS`.
 */
import { runServiceProcess, type ServiceContextOf, type ServiceParts } from '../../demo/runtime/service-process.js';
import { parseTicketsBugs, type TicketsBug } from '../bugs.js';

/** What a tickets service's setup receives. */
export type TicketsServiceContext = ServiceContextOf<TicketsBug>;

/** Run one tickets service process until SIGTERM. */
export function runTicketsService(name: string, setup: (ctx: TicketsServiceContext) => Promise<ServiceParts>): Promise<void> {
  return runServiceProcess(name, new Set(parseTicketsBugs(process.env.TICKETS_BUGS)), setup);
}
