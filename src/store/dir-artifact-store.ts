/**
 * The artifact store as a data directory: `<dataDir>/<kind>/<id>.json`
 * (+ `<id>.md` for plans and findings), plain files a person can read or
 * copy. Every write goes to a temp file in the same directory, is fsynced and
 * then renamed over the target (rename is atomic within a file system, POSIX
 * rename(2)), so a crash leaves the old or the new file, never half of one.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  applyList,
  artifactId,
  assertId,
  type ArtifactKind,
  type ArtifactMap,
  type ArtifactStore,
  type ListOptions,
} from './artifact-store.js';
import { fail } from '../../base/errors.js';

/** Write `data` to `path` atomically: temp file, fsync, rename, fsync the directory. */
async function writeAtomic(dir: string, name: string, data: string): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, join(dir, name));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // The rename itself is durable only once the directory entry is synced.
  const dh = await open(dir, 'r').catch(() => undefined);
  if (dh) await dh.sync().catch(() => undefined).finally(() => dh.close());
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The data-directory adapter of ArtifactStore. */
export class DirArtifactStore implements ArtifactStore {
  constructor(readonly dataDir: string) {}

  private async dir(kind: ArtifactKind): Promise<string> {
    const d = join(this.dataDir, kind);
    await mkdir(d, { recursive: true });
    return d;
  }

  async put<K extends ArtifactKind>(kind: K, value: ArtifactMap[K], markdown?: string): Promise<void> {
    const id = artifactId(kind, value);
    assertId(id);
    const dir = await this.dir(kind);
    // Markdown first: a reader that sees the new JSON also sees its Markdown.
    if (markdown !== undefined) await writeAtomic(dir, `${id}.md`, markdown);
    await writeAtomic(dir, `${id}.json`, `${JSON.stringify(value, null, 2)}\n`);
  }

  async get<K extends ArtifactKind>(kind: K, id: string): Promise<ArtifactMap[K] | undefined> {
    assertId(id);
    const text = await readIfExists(join(this.dataDir, kind, `${id}.json`));
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as ArtifactMap[K];
    } catch (err) {
      throw fail('INTERNAL', `artifact ${kind}/${id}.json is not valid JSON`, { kind, id }, err);
    }
  }

  async getMarkdown(kind: ArtifactKind, id: string): Promise<string | undefined> {
    assertId(id);
    return readIfExists(join(this.dataDir, kind, `${id}.md`));
  }

  async list<K extends ArtifactKind>(kind: K, options?: ListOptions<ArtifactMap[K]>): Promise<ArtifactMap[K][]> {
    const dir = await this.dir(kind);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    const values: ArtifactMap[K][] = [];
    for (const name of names) {
      const text = await readIfExists(join(dir, name));
      if (text === undefined) continue; // deleted between readdir and read
      try {
        values.push(JSON.parse(text) as ArtifactMap[K]);
      } catch {
        // A hand-edited, broken file is skipped in lists; `get` names it.
      }
    }
    return applyList(kind, values, options);
  }

  async delete(kind: ArtifactKind, id: string): Promise<boolean> {
    assertId(id);
    const path = join(this.dataDir, kind, `${id}.json`);
    const existed = (await readIfExists(path)) !== undefined;
    await rm(path, { force: true });
    await rm(join(this.dataDir, kind, `${id}.md`), { force: true });
    return existed;
  }
}
