import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore, RunRecord } from '../../../src/store/artifact-store.js';
import { DirArtifactStore } from '../../../src/store/dir-artifact-store.js';
import { MemoryArtifactStore } from '../../../src/store/memory-artifact-store.js';
import { isFaultlineError } from '../../../base/errors.js';
import { plan } from '../fakes.js';

const run = (id: string, createdAt: string, status: RunRecord['status'] = 'succeeded'): RunRecord => ({ id, planId: 'p', status, createdAt, options: {}, total: 0, progress: [] });

function contract(name: string, make: () => ArtifactStore) {
  describe(`${name} (ArtifactStore contract)`, () => {
    it('returns what was put, and undefined for an unknown id', async () => {
      const s = make();
      const p = plan([{ id: 's1', edge: 'a->b', claims: ['c1'] }]);
      await s.put('plans', p, '# plan\n');
      expect(await s.get('plans', p.id)).toEqual(p);
      expect(await s.getMarkdown('plans', p.id)).toBe('# plan\n');
      expect(await s.get('plans', 'plan-nope')).toBeUndefined();
      expect(await s.getMarkdown('runs', 'run-nope')).toBeUndefined();
    });

    it('lists newest first with since, where and limit', async () => {
      const s = make();
      await s.put('runs', run('r1', '2025-01-01T00:00:00.000Z'));
      await s.put('runs', run('r3', '2025-01-03T00:00:00.000Z', 'failed'));
      await s.put('runs', run('r2', '2025-01-02T00:00:00.000Z'));
      expect((await s.list('runs')).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect((await s.list('runs', { since: '2025-01-02T00:00:00.000Z' })).map((r) => r.id)).toEqual(['r3', 'r2']);
      expect((await s.list('runs', { where: (r) => r.status === 'succeeded', limit: 1 })).map((r) => r.id)).toEqual(['r2']);
      expect(await s.list('sweeps')).toEqual([]);
    });

    it('replaces a value on a second put and deletes it', async () => {
      const s = make();
      await s.put('runs', run('r1', '2025-01-01T00:00:00.000Z', 'running'));
      await s.put('runs', run('r1', '2025-01-01T00:00:00.000Z', 'succeeded'));
      expect((await s.get('runs', 'r1'))?.status).toBe('succeeded');
      expect(await s.list('runs')).toHaveLength(1);
      expect(await s.delete('runs', 'r1')).toBe(true);
      expect(await s.delete('runs', 'r1')).toBe(false);
      expect(await s.get('runs', 'r1')).toBeUndefined();
    });

    it('refuses ids that could escape the store', async () => {
      const s = make();
      for (const id of ['../x', 'a/b', '', '.hidden', 'a..b']) {
        await expect(s.get('runs', id)).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'BAD_INPUT'));
        await expect(s.put('runs', run(id, '2025-01-01T00:00:00.000Z'))).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'BAD_INPUT'));
      }
    });

    it('hands out copies, so callers cannot change stored values', async () => {
      const s = make();
      const r = run('r1', '2025-01-01T00:00:00.000Z');
      await s.put('runs', r);
      r.status = 'failed';
      const got = (await s.get('runs', 'r1'))!;
      got.progress.push({ scenarioId: 'x', stage: 'done', at: '' });
      expect(await s.get('runs', 'r1')).toEqual(run('r1', '2025-01-01T00:00:00.000Z'));
    });
  });
}

contract('DirArtifactStore', () => new DirArtifactStore(mkdtempSync(join(tmpdir(), 'faultline-store-'))));
contract('MemoryArtifactStore', () => new MemoryArtifactStore());

describe('DirArtifactStore files', () => {
  it('keeps plain files a person can read and leaves no temp files behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const s = new DirArtifactStore(dir);
    const p = plan([{ id: 's1', edge: 'a->b', claims: ['c1'] }]);
    await Promise.all(Array.from({ length: 20 }, () => s.put('plans', p, '# same\n')));
    expect(readdirSync(join(dir, 'plans')).sort()).toEqual([`${p.id}.json`, `${p.id}.md`]);
    expect(JSON.parse(readFileSync(join(dir, 'plans', `${p.id}.json`), 'utf8'))).toEqual(p);
  });
});
