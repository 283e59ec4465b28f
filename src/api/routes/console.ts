/**
 * The web console: `GET /` answers the HTML shell and `/console/<file>` the
 * bundle `npm run build:console` wrote to dist/console (console/build.mjs).
 * Nothing comes from a CDN. The shell holds no data, so it is served without
 * a token; the console asks for one and sends it with every API call when
 * reads are locked.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import type { RouteContext } from '../route-context.js';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};
/** Only plain file names of the bundle: no folders, so no path can leave it. */
const FILE = /^[a-z0-9][a-z0-9.-]{0,63}\.(js|css|map)$/;

/**
 * The bundle folder: dist/console under the package root, found by walking
 * up to package.json so it is the same from the sources (tsx) and from dist/.
 */
export function consoleDir(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return join(from, 'console');
    dir = up;
  }
  return join(dir, 'dist', 'console');
}

/** Register the console routes (hidden from the OpenAPI document: they are pages, not API). */
export async function consoleRoutes(app: FastifyInstance, _ctx: RouteContext, dir = consoleDir()): Promise<void> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch {
      throw fail('NOT_FOUND', name === 'index.html' ? 'the web console is not built: run `npm run build:console`' : `no console file ${name}`);
    }
  };

  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const body = await read('index.html');
    // The shell loads only our own files; a CSP keeps it that way.
    return reply
      .type(TYPES.html)
      .header('content-security-policy', "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'")
      .header('cache-control', 'no-cache')
      .send(body);
  });

  app.get<{ Params: { file: string } }>('/console/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    if (!FILE.test(file) || file.includes('..')) throw fail('NOT_FOUND', `no console file ${file}`);
    const type = TYPES[file.slice(file.lastIndexOf('.') + 1)];
    return reply.type(type).header('cache-control', 'no-cache').send(await read(file));
  });
}
