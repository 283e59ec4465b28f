import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared, read-only trace fixtures checked out beside the repository. */
export const traceFixturesDir = resolve(repoRoot, '..', 'shared', 'fixtures', 'traces');

/** Absolute path of a trace fixture by file name. */
export function traceFixture(name: string): string {
  return join(traceFixturesDir, name);
}

/** A trace fixture's bytes. */
export function readTraceFixture(name: string): Buffer {
  return readFileSync(traceFixture(name));
}
