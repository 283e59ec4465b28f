/**
 * Which local files a caller from outside the server may have read: only
 * regular files (a FIFO blocks every later read, /dev/zero never ends),
 * only under configured roots (after resolving symlinks, so a link cannot
 * point out of them), and only up to a size. The CLI reads what its user
 * names; a manifest uploaded over the API names files through this check.
 *
 * Errors name the manifest field and never quote the file: whether a path
 * outside the roots exists is not said either.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fail } from '../base/errors.js';

/** The files an untrusted caller may name. */
export interface FileAccess {
  /** Folders whose files may be read (absolute). Empty: no file at all. */
  readonly roots: readonly string[];
  /** Largest file that may be read (bytes). */
  readonly maxBytes: number;
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function refuse(field: string, why: string): never {
  throw fail('MANIFEST_INVALID', `${field}: ${why}`, { path: field });
}

/**
 * Check that `path` may be read under `access`; returns its real path.
 * MANIFEST_INVALID naming `field` otherwise.
 */
export function confinedPath(path: string, access: FileAccess, field: string): string {
  if (access.roots.length === 0) {
    refuse(field, 'a manifest sent to the API may not name server files (no FAULTLINE_FILE_ROOTS configured); use traces from a backend or OTLP, and claims inline');
  }
  const roots = access.roots.map(realOr);
  const lexical = resolve(path);
  if (!roots.some((r) => inside(r, lexical)) && !access.roots.some((r) => inside(resolve(r), lexical))) {
    refuse(field, 'the file is outside the folders the server allows (FAULTLINE_FILE_ROOTS)');
  }
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (err) {
    refuse(field, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!roots.some((r) => inside(r, real))) refuse(field, 'the file is outside the folders the server allows (FAULTLINE_FILE_ROOTS)');
  const st = statSync(real);
  if (!st.isFile()) refuse(field, 'not a regular file');
  if (st.size > access.maxBytes) refuse(field, `the file is larger than ${access.maxBytes} bytes (FAULTLINE_MAX_FILE_BYTES)`);
  return real;
}

/**
 * Read a text file under `access`. The descriptor is opened non-blocking
 * and checked again after opening, so a file swapped for a FIFO or device
 * between the check and the read is refused rather than waited on.
 */
export function readConfinedText(path: string, access: FileAccess, field: string): string {
  const real = confinedPath(path, access, field);
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    refuse(field, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) refuse(field, 'not a regular file');
    if (st.size > access.maxBytes) refuse(field, `the file is larger than ${access.maxBytes} bytes (FAULTLINE_MAX_FILE_BYTES)`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
