/** The workload driver: open-loop load, seeded templates, monotonic history. */
export { startWorkload, type WorkloadOptions, type WorkloadRun, type WorkloadReport, type DriverLag } from './driver.js';
export { seededRng, pickWeighted, type Rng } from './rng.js';
export { renderTemplate, renderString, parseExpr, checkTemplate, type TemplateContext, type TemplateExpr } from './template.js';
export { sendRequest, type FetchLike, type OutgoingRequest, type RequestOutcome } from './request.js';
