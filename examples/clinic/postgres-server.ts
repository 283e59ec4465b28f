/**
 * The clinic's PostgreSQL: the server at `postgresUrl` when given, else a
 * private cluster made for this run — `initdb` into a fresh temporary
 * directory, then `postgres` listening on 127.0.0.1 only, on a free port
 * (never 5432), with its socket in that directory — stopped and removed by
 * `stop()`. Never touches a server it did not start.
 *
 * The binaries are found under /usr/lib/postgresql/<version>/bin (Debian and
 * Ubuntu's layout, newest version first) or on PATH. initdb and postgres
 * refuse to run as root: run as root, both run as the `postgres` user
 * (spawned with its uid and gid) in a directory that user owns.
 *
 * The cluster is tuned for a throw-away test database (no fsync) and given
 * the session limits a DBA sets on any shared server: a session idle for
 * 5 s, or idle inside a transaction for 5 s, or a connection that has not
 * finished logging in after 5 s, is closed by the server. These are the
 * server's, not the services': they only end connections nobody uses (a
 * client waiting forever for an answer whose request was lost gets an error
 * once the server gives up on it), and no statement is ever cut short by
 * them.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { fail, isFaultlineError } from '../../base/errors.js';
import { freePort } from '../demo/launch/free-port.js';

/** A PostgreSQL server the clinic uses; `stop()` stops it only when the clinic started it. */
export interface ClinicPostgres {
  /** `postgres://clinic@127.0.0.1:PORT/<database>` */
  url: string;
  host: string;
  port: number;
  database: string;
  stop(): Promise<void>;
}

/** A private cluster: the server, a superuser `clinic` with trust auth, and a way to add databases. */
export interface PrivatePostgres {
  host: string;
  port: number;
  /** URL of `database` on this server. */
  urlOf(database: string): string;
  /** Create a database (a no-op when it exists); resolves with its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The superuser initdb creates, and the clinic's default database. */
export const PG_USER = 'clinic';
export const PG_DATABASE = 'clinic';

const INSTALL_HINT = 'install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or pass a postgresUrl';

/** The directory holding `initdb` and `postgres`, newest version first; undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && has(dir)) return dir;
  return undefined;
}

/** uid and gid to run PostgreSQL as: ours, or the `postgres` user's when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(uid) && Number.isInteger(gid) && uid > 0) return { uid, gid };
  } catch { /* no such user */ }
  throw fail('BACKEND_UNAVAILABLE', `running as root, and PostgreSQL will not run as root: there is no "postgres" user to run it as; ${INSTALL_HINT}`);
}

/** The environment without the PG* variables that would point a child at another server. */
function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PG')) out[k] = v;
  return { ...out, LC_ALL: 'C', LANG: 'C' };
}

function tail(lines: string[], chunk: Buffer): void {
  for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) { lines.push(line.trim()); if (lines.length > 20) lines.shift(); }
}

/** Run initdb to completion. */
async function initdb(bin: string, dir: string, as: { uid: number; gid: number } | undefined): Promise<void> {
  const out: string[] = [];
  const child = spawn(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
    cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...(as ?? {}),
  });
  child.stdout?.on('data', (c: Buffer) => tail(out, c));
  child.stderr?.on('data', (c: Buffer) => tail(out, c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(fail('BACKEND_UNAVAILABLE', `cannot run initdb: ${err.message}; ${INSTALL_HINT}`)));
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw fail('BACKEND_UNAVAILABLE', `initdb exited with code ${code}: ${out.slice(-3).join(' | ')}`);
}

async function canQuery(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, database: 'postgres', connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startOn(bin: string, port: number): Promise<PrivatePostgres> {
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'faultline-clinic-pg-'));
  if (as) chownSync(dir, as.uid, as.gid);
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    await initdb(bin, dir, as);
  } catch (err) {
    removeDir();
    throw err;
  }
  const out: string[] = [];
  const child: ChildProcess = spawn(join(bin, 'postgres'), [
    '-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-h', '127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=200', '-c', 'shared_buffers=32MB',
    '-c', 'idle_session_timeout=5s', '-c', 'idle_in_transaction_session_timeout=5s', '-c', 'authentication_timeout=5s',
    '-c', 'log_min_messages=warning', '-c', 'log_min_error_statement=panic',
  ], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...(as ?? {}) });
  child.stdout?.on('data', (c: Buffer) => tail(out, c));
  child.stderr?.on('data', (c: Buffer) => tail(out, c));
  const exited = new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.once('error', () => resolve()); });
  // A launcher that exits without stop() (a crash) still takes its server down.
  const onExit = () => { try { child.kill('SIGQUIT'); } catch { /* gone */ } };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, close sessions
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    removeDir();
  })());

  const deadline = Date.now() + 20_000;
  while (!(await canQuery(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw fail('BACKEND_UNAVAILABLE', `postgres exited (${child.signalCode ?? `code ${child.exitCode}`}) before it listened on 127.0.0.1:${port}: ${out.slice(-3).join(' | ')}`, { exitedBeforeListening: true });
    }
    if (Date.now() > deadline) {
      await stop();
      throw fail('BACKEND_UNAVAILABLE', `postgres did not answer on 127.0.0.1:${port} within 20 s: ${out.slice(-3).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const urlOf = (database: string) => `postgres://${PG_USER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    host: '127.0.0.1',
    port,
    urlOf,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw fail('BAD_INPUT', `database name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
      const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, database: 'postgres' });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end().catch(() => undefined);
      }
      return urlOf(name);
    },
    stop,
  };
}

/** Start a private PostgreSQL cluster on a free loopback port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  if (!bin) throw fail('BACKEND_UNAVAILABLE', `PostgreSQL not found (no initdb and postgres under /usr/lib/postgresql/*/bin or on PATH): ${INSTALL_HINT}`);
  // A free port can be taken between picking it and postgres binding it: then try another one.
  for (let attempt = 1; ; attempt++) {
    let port = await freePort();
    while (port === 5432) port = await freePort();
    try {
      return await startOn(bin, port);
    } catch (err) {
      const exitedEarly = isFaultlineError(err, 'BACKEND_UNAVAILABLE') && err.details?.exitedBeforeListening === true;
      if (attempt >= 3 || !exitedEarly) throw err;
    }
  }
}

/** Use `postgresUrl` (its database must exist), or start a private cluster with a `clinic` database. */
export async function ensurePostgres(postgresUrl: string | undefined): Promise<ClinicPostgres> {
  if (postgresUrl) {
    const u = new URL(postgresUrl);
    return { url: postgresUrl, host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.replace(/^\//, '')) || PG_DATABASE, stop: async () => undefined };
  }
  const server = await startPrivatePostgres();
  try {
    const url = await server.createDatabase(PG_DATABASE);
    return { url, host: server.host, port: server.port, database: PG_DATABASE, stop: () => server.stop() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
