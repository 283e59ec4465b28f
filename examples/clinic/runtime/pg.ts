/**
 * A PostgreSQL pool (node-postgres) for the clinic services, every
 * statement in one CLIENT span with the OpenTelemetry database attributes:
 * `db.system` = postgresql, `db.namespace` (the database), `db.operation.name`
 * and `db.collection.name` (span name `INSERT checkins`), `db.query.text`,
 * and `server.address`/`server.port` = what the pool dialled (the fault
 * proxy's listen address). A statement's span covers the statement only,
 * not the wait for a pooled connection.
 *
 * The pool's timeouts are the caller's choice: `statementTimeoutMs` is
 * PostgreSQL's `statement_timeout` (set per connection), `queryTimeoutMs`
 * the client-side deadline of one statement (it also covers a slow network),
 * `connectionTimeoutMs` how long to wait for a connection, new or pooled.
 * Absent means wait as long as it takes.
 */
import pg from 'pg';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** How a pool is sized and bounded. */
export interface PgPoolOptions {
  max: number;
  statementTimeoutMs?: number;
  queryTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Idle connections are closed after this long (default 3 s). */
  idleTimeoutMs?: number;
}

/** Runs one statement. */
export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

/** A pool with traced statements. */
export interface TracedPg {
  readonly pool: pg.Pool;
  readonly database: string;
  /** One statement on a pooled connection (released, or destroyed when the statement failed). */
  query: Query;
  /** `fn` between BEGIN and COMMIT on one connection; ROLLBACK on error, and a connection that failed is destroyed. */
  transaction<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  /** Connections in the pool, idle ones, and callers waiting for one. */
  load(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** `INSERT`, `checkins` from a statement, for the span name and attributes. */
export function describeStatement(text: string): { operation: string; collection?: string } {
  const sql = text.trim().replace(/\s+/g, ' ');
  const operation = (/^(\w+)/.exec(sql)?.[1] ?? 'QUERY').toUpperCase();
  const table = operation === 'INSERT' ? /\bINTO\s+"?(\w+)/i.exec(sql)
    : operation === 'UPDATE' ? /^UPDATE\s+"?(\w+)/i.exec(sql)
      : operation === 'SELECT' || operation === 'DELETE' ? /\bFROM\s+"?(\w+)/i.exec(sql)
        : operation === 'CREATE' ? /\bTABLE\s+(?:IF NOT EXISTS\s+)?"?(\w+)/i.exec(sql)
          : null;
  return table ? { operation, collection: table[1] } : { operation };
}

/** Open a pool on `databaseUrl` (`postgres://user@host:port/db`). */
export function connectPg(tracer: Tracer, databaseUrl: string, opts: PgPoolOptions): TracedPg {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const host = url.hostname;
  const port = Number(url.port || 5432);
  const pool = new pg.Pool({
    host,
    port,
    user: decodeURIComponent(url.username) || 'postgres',
    database,
    max: opts.max,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 3000,
    ...(opts.connectionTimeoutMs !== undefined ? { connectionTimeoutMillis: opts.connectionTimeoutMs } : {}),
    ...(opts.statementTimeoutMs !== undefined ? { statement_timeout: opts.statementTimeoutMs } : {}),
    ...(opts.queryTimeoutMs !== undefined ? { query_timeout: opts.queryTimeoutMs } : {}),
    application_name: 'clinic',
  });
  // An idle connection that breaks (server restart, proxy reset) is reported here and dropped by the pool.
  pool.on('error', () => undefined);
  // A connection that breaks while checked out (between statements, or while connecting) errors the next
  // statement; without a listener its 'error' event would end the process.
  pool.on('connect', (client) => { client.on('error', () => undefined); });
  const peer = { 'server.address': host, 'server.port': port, 'net.peer.name': host, 'net.peer.port': port };

  async function run<R extends pg.QueryResultRow>(client: pg.PoolClient, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const { operation, collection } = describeStatement(text);
    const span = tracer.startSpan(collection ? `${operation} ${collection}` : operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'postgresql',
        'db.system.name': 'postgresql',
        'db.namespace': database,
        'db.name': database,
        'db.operation.name': operation,
        ...(collection ? { 'db.collection.name': collection } : {}),
        'db.query.text': text.trim().replace(/\s+/g, ' '),
        ...peer,
      },
    });
    try {
      return await client.query<R>(text, values as unknown[] | undefined);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code) span.setAttribute('db.response.status_code', e.code);
      span.setAttribute('error.type', e.code ?? e.name);
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
      throw err;
    } finally {
      span.end();
    }
  }

  const query: Query = async (text, values) => {
    const client = await pool.connect();
    let failed: Error | undefined;
    try {
      return await run(client, text, values);
    } catch (err) {
      failed = err as Error;
      throw err;
    } finally {
      client.release(failed);
    }
  };

  return {
    pool,
    database,
    query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await run(client, 'BEGIN');
        const q: Query = (text, values) => run(client, text, values);
        const out = await fn(q);
        await run(client, 'COMMIT');
        return out;
      } catch (err) {
        if (err instanceof pg.DatabaseError) {
          // The server refused a statement: the connection is usable, roll back and keep it.
          await run(client, 'ROLLBACK').catch((e: Error) => { broken = e; });
        } else {
          // No answer (timeout, reset): destroying the connection makes the server abort the transaction.
          broken = err as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    load: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

/** Resolve once the database answers (at most `timeoutMs`); schema set-up runs after it. */
export async function pgReady(db: TracedPg, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await db.pool.connect();
      try { await client.query('SELECT 1'); } finally { client.release(); }
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres not ready within ${timeoutMs} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
