/**
 * The process shell every clinic service shares: the demo shop's
 * (examples/demo/runtime/service-process.ts), with this system's bug switch
 * `CLINIC_BUGS`.
 */
import { runServiceProcess, type ServiceContextOf, type ServiceParts } from '../../demo/runtime/service-process.js';
import { parseClinicBugs, type ClinicBug } from '../bugs.js';

/** What a clinic service's setup receives. */
export type ClinicServiceContext = ServiceContextOf<ClinicBug>;

/** Run one clinic service process until SIGTERM. */
export function runClinicService(name: string, setup: (ctx: ClinicServiceContext) => Promise<ServiceParts>): Promise<void> {
  return runServiceProcess(name, new Set(parseClinicBugs(process.env.CLINIC_BUGS)), setup);
}
