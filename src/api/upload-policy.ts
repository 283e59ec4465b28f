/**
 * The API's trust boundary for manifests sent in a request body: such a
 * manifest runs with the caller's rights, not the server's. The server's
 * own manifest (`serve --manifest`) and the CLI are not confined.
 *
 * - The LLM endpoint and key come from the server configuration only: an
 *   uploaded `llm.baseUrl` is refused (it would receive OPENAI_API_KEY).
 * - Files it names (`traces.paths`, `claimsFile`) must be regular files of
 *   at most FAULTLINE_MAX_FILE_BYTES under FAULTLINE_FILE_ROOTS (none by
 *   default), checked by ingest/file-access.ts; errors never quote a file.
 * - It may not name server environment variables for backend credentials
 *   (`traces.auth.*Env`): their values would go to a URL the caller chose.
 *   A `traces.auth.caFile` is confined like any other file.
 */
import { resolve } from 'node:path';
import { fail } from '../../base/errors.js';
import type { Manifest } from '../../generators/manifest.js';
import { confinedPath, readConfinedText, type FileAccess } from '../../ingest/file-access.js';
import type { Config } from '../config.js';
import type { Pipeline } from '../pipeline.js';

/** The file access an uploaded manifest gets, from the server configuration. */
export function uploadFileAccess(config: Config): FileAccess {
  return { roots: config.api.fileRoots, maxBytes: config.api.maxFileBytes };
}

/** Parse a manifest from a request body under the upload policy (MANIFEST_INVALID naming the field otherwise). */
export async function parseUploadedManifest(pipeline: Pipeline, text: string, opts: { baseDir: string; files: FileAccess }): Promise<Manifest> {
  // The loader words a failed read its own way ("cannot read …"); the policy's reason is the one to give.
  let refused: unknown;
  const readFile = (path: string) => {
    try {
      return readConfinedText(path, opts.files, 'claimsFile');
    } catch (err) {
      refused = err;
      throw err;
    }
  };
  let manifest: Manifest;
  try {
    manifest = await pipeline.parseManifest(text, { baseDir: opts.baseDir, readFile });
  } catch (err) {
    throw refused ?? err;
  }
  if (manifest.llm?.baseUrl !== undefined) {
    throw fail('MANIFEST_INVALID', 'llm.baseUrl: a manifest sent to the API may not choose the LLM endpoint; the server uses its own (OPENAI_BASE_URL) — remove llm.baseUrl', { path: 'llm.baseUrl' });
  }
  const traces = manifest.traces;
  if (traces.type === 'files') traces.paths.forEach((path, i) => confinedPath(path, opts.files, `traces.paths[${i}]`));
  if ((traces.type === 'jaeger' || traces.type === 'tempo') && traces.auth) {
    // A named variable's value is sent to traces.url, which the caller chose: any server secret would leave with it.
    const named = ([['bearerTokenEnv', traces.auth.bearerTokenEnv], ['orgIdEnv', traces.auth.orgIdEnv], ['basic.usernameEnv', traces.auth.basic?.usernameEnv], ['basic.passwordEnv', traces.auth.basic?.passwordEnv]] as const).find(([, v]) => v !== undefined);
    if (named) {
      throw fail('MANIFEST_INVALID', `traces.auth.${named[0]}: a manifest sent to the API may not name server environment variables; configure the backend in the server's manifest`, { path: `traces.auth.${named[0]}` });
    }
    if (traces.auth.caFile !== undefined) confinedPath(resolve(opts.baseDir, traces.auth.caFile), opts.files, 'traces.auth.caFile');
  }
  return manifest;
}
