/**
 * The one error shape of the API: RFC 9457 problem details
 * (application/problem+json) `{type, title, status, detail, code}` with a
 * stable faultline code, never a stack trace. Fastify's own errors (body too
 * large, bad JSON, validation), router errors (414) and the HTTP parser's
 * (431, 408) are mapped onto the same codes.
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, isFaultlineError, type ErrorCode } from '../../base/errors.js';
import type { Log } from '../log.js';

/** The problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
}

/** JSON schema of a problem (response schemas reference it as `Problem#`). */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
} as const;

/** Build a problem for a code. */
export function problem(code: ErrorCode, detail: string, details?: Record<string, unknown>): Problem {
  const { status, title } = ErrorCodes[code];
  return { type: `urn:faultline:error:${code.toLowerCase().replace(/_/g, '-')}`, title, status, detail, code, ...(details ? { details } : {}) };
}

/** Fastify's error codes (FST_ERR_*) and plugin errors → our codes. */
function fromFastify(err: FastifyError): Problem | undefined {
  if (err.validation) {
    // Name the offending field even where Ajv's message does not (additional/missing properties).
    const issues = err.validation.map((v) => {
      const at = `${err.validationContext ?? 'body'}${v.instancePath}`;
      const p = v.params as { additionalProperty?: string; missingProperty?: string };
      if (p.additionalProperty) return { path: `${at}/${p.additionalProperty}`, message: 'is not allowed' };
      if (p.missingProperty) return { path: `${at}/${p.missingProperty}`, message: 'is required' };
      return { path: at, message: v.message ?? 'is invalid' };
    });
    return problem('BAD_INPUT', issues.map((i) => `${i.path} ${i.message}`).join('; '), { validation: issues });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', err.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('BAD_INPUT', err.message);
  }
  if (err instanceof SyntaxError) return problem('BAD_INPUT', `request body is not valid JSON: ${err.message}`);
  const status = err.statusCode ?? 0;
  if (status === 413) return problem('PAYLOAD_TOO_LARGE', err.message);
  if (status === 415) return problem('UNSUPPORTED_MEDIA_TYPE', err.message);
  if (status === 429) return problem('RATE_LIMITED', err.message);
  if (status === 404) return problem('NOT_FOUND', err.message);
  if (status >= 400 && status < 500) return problem('BAD_INPUT', err.message);
  return undefined;
}

/**
 * Router-level errors (Fastify's `frameworkErrors`): an over-long path
 * parameter or a malformed URL. The detail never repeats the path, which is
 * the attacker's text and may be megabytes long.
 */
export function frameworkProblem(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const p = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? problem('URI_TOO_LONG', 'a path parameter is longer than the server accepts')
    : problem('BAD_INPUT', 'the request URL is malformed');
  void reply.code(p.status).type('application/problem+json').send(p);
}

/**
 * Errors Node's HTTP parser raises before any route runs (Fastify's
 * `clientErrorHandler`): headers too large, a request not sent in time,
 * anything unparseable. Answered as problem+json on the raw socket, since no
 * reply object exists yet, then the socket is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const p = err.code === 'HPE_HEADER_OVERFLOW'
    ? problem('HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? problem('REQUEST_TIMEOUT', 'the request was not received in time')
      : problem('BAD_INPUT', 'the request could not be parsed as HTTP');
  const body = JSON.stringify(p);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** Install the error and not-found handlers on an app. */
export function installProblemHandlers(app: FastifyInstance, log: Log): void {
  app.addSchema(problemSchema);
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const p = isFaultlineError(err)
      ? problem(err.code, err.message, err.details)
      : (fromFastify(err) ?? problem('INTERNAL', 'an unexpected error occurred; see the server log'));
    if (p.code === 'INTERNAL' || p.status >= 500) log.error({ err, method: req.method, url: req.url }, 'request failed');
    if (p.code === 'RATE_LIMITED' || p.code === 'QUEUE_FULL') reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return reply.code(p.status).type('application/problem+json').send(p);
  });
  app.setNotFoundHandler((req, reply) => {
    const p = problem('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    return reply.code(404).type('application/problem+json').send(p);
  });
}
