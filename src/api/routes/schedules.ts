/**
 * Sweep schedules: CRUD over stored schedules, kept in step with the live
 * scheduler (BullMQ job schedulers) when one is configured. Crons are parsed
 * and held to the minimum interval here too, so a server without Redis
 * refuses the same schedules one with Redis would.
 */
import type { FastifyInstance } from 'fastify';
import type { ScheduleRecord } from '../../store/artifact-store.js';
import { fail } from '../../../base/errors.js';
import { newId } from '../../store/artifact-id.js';
import { idParams, problemResponses, type RouteContext } from '../route-context.js';
import { DEFAULT_CRON, DEFAULT_TIMEZONE } from '../../sweeps/scheduler.js';
import { checkCron } from '../../sweeps/schedule-cron.js';

const scheduleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, cron: { type: 'string' }, timezone: { type: 'string' }, enabled: { type: 'boolean' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' }, active: { type: 'boolean' },
    nextRunAt: { type: 'string', description: 'The next tick (ISO 8601); absent when the schedule is disabled' },
  },
} as const;

// The syntax is cron-parser's (the parser BullMQ runs), checked in the handler by checkCron.
const bodySchema = (required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties: { cron: { type: 'string', minLength: 1, maxLength: 200 }, timezone: { type: 'string', minLength: 1, maxLength: 64 }, enabled: { type: 'boolean' } },
});

/** Throws BAD_INPUT unless `tz` is an IANA time zone the runtime knows. */
export function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw fail('BAD_INPUT', `body/timezone ${JSON.stringify(tz)} is not an IANA time zone`, { field: 'timezone' });
  }
}

type Body = { cron?: string; timezone?: string; enabled?: boolean };

/** Register the schedule routes. */
export async function scheduleRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store, scheduler, clock } = ctx.deps;
  const minIntervalMs = ctx.config.schedules.minIntervalMs;
  /** Throws BAD_INPUT naming body/cron or body/timezone; the next tick otherwise. */
  const timing = (s: ScheduleRecord) => {
    assertTimeZone(s.timezone);
    return checkCron(s.cron, s.timezone, { minIntervalMs, now: clock.now(), field: 'body/cron' });
  };
  const view = (s: ScheduleRecord) => {
    // A schedule stored before crons were checked may no longer pass: it is shown, without a next run.
    let nextRunAt: string | undefined;
    try {
      if (s.enabled) nextRunAt = checkCron(s.cron, s.timezone, { minIntervalMs, now: clock.now() }).nextRunAt.toISOString();
    } catch {
      nextRunAt = undefined;
    }
    return { ...s, active: Boolean(scheduler) && s.enabled, ...(nextRunAt ? { nextRunAt } : {}) };
  };
  const sync = async (s: ScheduleRecord) => {
    if (!scheduler) return;
    try {
      await scheduler.upsert(s);
    } catch (err) {
      throw fail('BAD_INPUT', `the scheduler refused schedule ${s.id}: ${(err as Error).message}`, { field: 'cron' }, err);
    }
  };

  app.post<{ Body: Body }>('/v1/schedules', {
    schema: { summary: `Create a sweep schedule (default ${DEFAULT_CRON} ${DEFAULT_TIMEZONE})`, tags: ['schedules'], body: bodySchema([]), response: { 201: scheduleSchema, ...problemResponses } },
  }, async (req, reply) => {
    const now = clock.now().toISOString();
    const s: ScheduleRecord = { id: newId('sched', clock.now()), cron: req.body.cron?.trim() ?? DEFAULT_CRON, timezone: req.body.timezone ?? DEFAULT_TIMEZONE, enabled: req.body.enabled ?? true, createdAt: now, updatedAt: now };
    timing(s);
    await sync(s);
    await store.put('schedules', s);
    reply.code(201).header('location', `/v1/schedules/${s.id}`);
    return view(s);
  });

  app.get('/v1/schedules', {
    schema: { summary: 'List schedules', tags: ['schedules'], response: { 200: { type: 'object', properties: { schedules: { type: 'array', items: scheduleSchema } } }, ...problemResponses } },
  }, async () => ({ schedules: (await store.list('schedules')).map(view) }));

  app.get<{ Params: { id: string } }>('/v1/schedules/:id', {
    schema: { summary: 'One schedule', tags: ['schedules'], params: idParams, response: { 200: scheduleSchema, ...problemResponses } },
  }, async (req) => {
    const s = await store.get('schedules', req.params.id);
    if (!s) throw fail('NOT_FOUND', `schedule ${req.params.id} not found`, { id: req.params.id });
    return view(s);
  });

  app.put<{ Params: { id: string }; Body: Body }>('/v1/schedules/:id', {
    schema: { summary: 'Update a schedule', tags: ['schedules'], params: idParams, body: bodySchema([]), response: { 200: scheduleSchema, ...problemResponses } },
  }, async (req) => {
    const s = await store.get('schedules', req.params.id);
    if (!s) throw fail('NOT_FOUND', `schedule ${req.params.id} not found`, { id: req.params.id });
    const next: ScheduleRecord = { ...s, ...(req.body.cron ? { cron: req.body.cron.trim() } : {}), ...(req.body.timezone ? { timezone: req.body.timezone } : {}), ...(req.body.enabled !== undefined ? { enabled: req.body.enabled } : {}), updatedAt: clock.now().toISOString() };
    timing(next);
    await sync(next);
    await store.put('schedules', next);
    return view(next);
  });

  app.delete<{ Params: { id: string } }>('/v1/schedules/:id', {
    schema: { summary: 'Delete a schedule', tags: ['schedules'], params: idParams, response: { 204: { type: 'null' }, ...problemResponses } },
  }, async (req, reply) => {
    if (!(await store.get('schedules', req.params.id))) throw fail('NOT_FOUND', `schedule ${req.params.id} not found`, { id: req.params.id });
    await scheduler?.remove(req.params.id);
    await store.delete('schedules', req.params.id);
    return reply.code(204).send();
  });
}
