/**
 * Chaos Toolkit's experiment and journal formats as JSON Schema, written
 * from the rules chaostoolkit-lib enforces (each cited where it is encoded)
 * and the signatures of the chaostoolkit-toxiproxy functions an experiment
 * calls: chaoslib binds a python activity's `arguments` to the function's
 * signature (provider/python.py, `validate_python_activity`), so a
 * misspelt argument name fails `chaos validate`. The schema is the test's
 * stand-in for `chaos validate`, which needs Python.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const nonEmpty = { type: 'string', minLength: 1, pattern: '\\S' } as const;
const iso = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' } as const;
// activity.py: a pause is a number, or a "${…}" pattern naming a configuration or secret value.
const pause = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\$\\{.+\\}$' }] } as const;

/** The arguments of a chaostoxi function: required ones, then optional ones (chaostoxi/toxic/actions.py, chaostoxi/proxy/actions.py). */
const CHAOSTOXI: Record<string, Record<string, [string[], string[]]>> = {
  'chaostoxi.toxic.actions': {
    delete_toxic: [['for_proxy', 'toxic_name'], []],
    create_toxic: [['for_proxy', 'toxic_name', 'toxic_type'], ['stream', 'toxicity', 'attributes']],
    create_latency_toxic: [['for_proxy', 'toxic_name', 'latency'], ['jitter']],
    create_bandwith_degradation_toxic: [['for_proxy', 'toxic_name', 'rate'], []],
    create_slow_connection_close_toxic: [['for_proxy', 'toxic_name', 'delay'], []],
    create_timeout_toxic: [['for_proxy', 'toxic_name', 'timeout'], []],
    create_slicer_toxic: [['for_proxy', 'toxic_name', 'average_size', 'size_variation', 'delay'], []],
    create_limiter_toxic: [['for_proxy', 'toxic_name', 'bytes_limit'], []],
  },
  'chaostoxi.proxy.actions': {
    disable_proxy: [['proxy_name'], []],
    enable_proxy: [['proxy_name'], []],
  },
};

const chaostoxiCalls = Object.entries(CHAOSTOXI).flatMap(([module, funcs]) => Object.entries(funcs).map(([func, [required, optional]]) => ({
  properties: {
    module: { const: module },
    func: { const: func },
    arguments: { type: 'object', required, additionalProperties: false, properties: Object.fromEntries([...required, ...optional].map((k) => [k, {}])) },
  },
  required: ['module', 'func', 'arguments'],
})));

// activity.py `ensure_activity_is_valid`: provider type is one of python, process, http; then each provider's validator.
const provider = {
  type: 'object',
  required: ['type'],
  oneOf: [
    // provider/python.py: a module path and a function name; chaostoxi calls must match its signatures.
    { properties: { type: { const: 'python' }, module: nonEmpty, func: nonEmpty, arguments: { type: 'object' } }, required: ['type', 'module', 'func'],
      if: { properties: { module: { pattern: '^chaostoxi\\.' } } }, then: { anyOf: chaostoxiCalls } },
    // provider/process.py: a path to an executable.
    { properties: { type: { const: 'process' }, path: nonEmpty, arguments: { type: ['array', 'string', 'object'] }, timeout: { type: 'number' } }, required: ['type', 'path'] },
    // provider/http.py: a URL; headers a mapping.
    { properties: { type: { const: 'http' }, url: nonEmpty, method: nonEmpty, headers: { type: 'object', additionalProperties: { type: 'string' } }, timeout: { type: ['number', 'array'] } }, required: ['type', 'url'] },
  ],
} as const;

// activity.py: a type of probe or action, a name, a provider; timeout a number, pauses numbers or patterns, background a boolean.
const activity = {
  type: 'object',
  required: ['type', 'name', 'provider'],
  properties: {
    type: { enum: ['probe', 'action'] },
    name: nonEmpty,
    provider,
    timeout: { type: 'number' },
    pauses: { type: 'object', properties: { before: pause, after: pause }, additionalProperties: false },
    background: { type: 'boolean' },
  },
} as const;

// hypothesis.py `ensure_hypothesis_tolerance_is_valid`: bool, int, list, str, or a dict of type probe/regex/jsonpath/range.
const tolerance = {
  anyOf: [
    { type: ['boolean', 'integer', 'array', 'string'] },
    { type: 'object', required: ['type', 'range'], properties: { type: { const: 'range' }, range: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } }, target: { type: 'string' } } },
    { type: 'object', required: ['type', 'pattern'], properties: { type: { const: 'regex' }, pattern: { type: 'string' } } },
    { type: 'object', required: ['type', 'path'], properties: { type: { const: 'jsonpath' }, path: nonEmpty } },
    { ...activity, properties: { ...activity.properties, type: { const: 'probe' } } },
  ],
} as const;

/** chaoslib/experiment.py `ensure_experiment_is_valid`, with hypothesis.py and extension.py. */
export const experimentSchema = {
  type: 'object',
  required: ['title', 'description', 'method'],
  properties: {
    version: { type: 'string' },
    title: nonEmpty,
    description: nonEmpty,
    // experiment.py: tags must be non-empty strings.
    tags: { type: 'array', items: nonEmpty },
    // The reference's contributions: a mapping to high, medium, low or none.
    contributions: { type: 'object', additionalProperties: { enum: ['high', 'medium', 'low', 'none'] } },
    // extension.py: every extension has a non-empty name.
    extensions: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: nonEmpty } } },
    // configuration.py: a value is a literal, or {type: env, key} read from the environment.
    configuration: { type: 'object', additionalProperties: { if: { type: 'object', properties: { type: { const: 'env' } }, required: ['type'] }, then: { required: ['key'], properties: { key: nonEmpty } } } },
    // hypothesis.py: a title; every probe is a valid activity with a tolerance.
    'steady-state-hypothesis': {
      type: 'object', required: ['title'],
      properties: { title: nonEmpty, probes: { type: 'array', items: { allOf: [activity, { required: ['tolerance'], properties: { tolerance } }] } } },
    },
    method: { type: 'array', items: activity },
    rollbacks: { type: 'array', items: activity },
  },
} as const;

// activity.py `execute_activity`: a run records the activity, its status, output and timing.
const run = {
  type: 'object',
  required: ['activity', 'status', 'output', 'start', 'end', 'duration'],
  properties: { activity, status: { enum: ['succeeded', 'failed'] }, start: iso, end: iso, duration: { type: 'number', minimum: 0 }, tolerance_met: { type: 'boolean' } },
} as const;
// hypothesis.py `run_steady_state_hypothesis`: {steady_state_met, probes: runs}.
const state = { type: 'object', required: ['steady_state_met', 'probes'], properties: { steady_state_met: { type: 'boolean' }, probes: { type: 'array', items: run } } } as const;

/** chaoslib/run.py: `initialize_run_journal` plus what `Runner.run` adds (end, duration, a status of the four allowed). */
export const journalSchema = {
  type: 'object',
  required: ['chaoslib-version', 'platform', 'node', 'experiment', 'start', 'end', 'duration', 'status', 'deviated', 'steady_states', 'run', 'rollbacks'],
  properties: {
    'chaoslib-version': nonEmpty,
    platform: { type: 'string' },
    node: { type: 'string' },
    experiment: experimentSchema,
    start: iso,
    end: iso,
    duration: { type: 'number', minimum: 0 },
    status: { enum: ['completed', 'failed', 'aborted', 'interrupted'] },
    deviated: { type: 'boolean' },
    steady_states: {
      type: 'object', required: ['before', 'after', 'during'],
      properties: { before: { anyOf: [{ type: 'null' }, state] }, after: { anyOf: [{ type: 'null' }, state] }, during: { type: 'array', items: state } },
    },
    run: { type: 'array', items: run },
    rollbacks: { type: 'array', items: run },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = { experiment: ajv.compile(experimentSchema), journal: ajv.compile(journalSchema) };

/** The schema's complaints about `doc` (empty when it conforms), one line each. */
export function ctkProblems(kind: 'experiment' | 'journal', doc: unknown): string[] {
  const validate: ValidateFunction = compiled[kind];
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
