/**
 * An in-memory ArtifactStore: for tests and for one-shot CLI work that
 * should leave nothing behind. Values are deep-copied in and out so callers
 * cannot mutate stored state, as with the directory store.
 */
import { applyList, artifactId, assertId, type ArtifactKind, type ArtifactMap, type ArtifactStore, type ListOptions } from './artifact-store.js';

/** The in-memory adapter of ArtifactStore. */
export class MemoryArtifactStore implements ArtifactStore {
  private readonly data = new Map<string, { json: string; md?: string }>();

  async put<K extends ArtifactKind>(kind: K, value: ArtifactMap[K], markdown?: string): Promise<void> {
    const id = artifactId(kind, value);
    assertId(id);
    this.data.set(`${kind}/${id}`, { json: JSON.stringify(value), md: markdown });
  }

  async get<K extends ArtifactKind>(kind: K, id: string): Promise<ArtifactMap[K] | undefined> {
    assertId(id);
    const e = this.data.get(`${kind}/${id}`);
    return e ? (JSON.parse(e.json) as ArtifactMap[K]) : undefined;
  }

  async getMarkdown(kind: ArtifactKind, id: string): Promise<string | undefined> {
    assertId(id);
    return this.data.get(`${kind}/${id}`)?.md;
  }

  async list<K extends ArtifactKind>(kind: K, options?: ListOptions<ArtifactMap[K]>): Promise<ArtifactMap[K][]> {
    const values: ArtifactMap[K][] = [];
    for (const [key, e] of this.data) if (key.startsWith(`${kind}/`)) values.push(JSON.parse(e.json) as ArtifactMap[K]);
    return applyList(kind, values, options);
  }

  async delete(kind: ArtifactKind, id: string): Promise<boolean> {
    assertId(id);
    return this.data.delete(`${kind}/${id}`);
  }
}
