/**
 * The process shell every rides service shares: the demo shop's
 * (examples/demo/runtime/service-process.ts), with this system's bug switch
 * `RIDES_BUGS`.
 */
import { runServiceProcess, type ServiceContextOf, type ServiceParts } from '../../demo/runtime/service-process.js';
import { parseRidesBugs, type RidesBug } from '../bugs.js';

/** What a rides service's setup receives. */
export type RidesServiceContext = ServiceContextOf<RidesBug>;

/** What a rides service's setup returns. */
export type RidesServiceParts = ServiceParts;

/** Run one rides service process until SIGTERM. */
export function runRidesService(name: string, setup: (ctx: RidesServiceContext) => Promise<RidesServiceParts>): Promise<void> {
  return runServiceProcess(name, new Set(parseRidesBugs(process.env.RIDES_BUGS)), setup);
}
