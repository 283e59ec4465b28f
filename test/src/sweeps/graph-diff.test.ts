import { describe, expect, it } from 'vitest';
import { diffGraphs, hasTopologyChanges } from '../../../src/sweeps/graph-diff.js';
import { ranking, snapshot } from '../fakes.js';

describe('graph diff between sweeps', () => {
  it('says first on the first sweep', () => {
    const d = diffGraphs(undefined, { snapshot: snapshot(['a->b']) });
    expect(d).toEqual({ first: true, newServices: [], vanishedServices: [], newEdges: [], vanishedEdges: [], riskMoves: [] });
    expect(hasTopologyChanges(d)).toBe(false);
  });

  it('lists new and vanished services and edges, and risk moves of two ranks or more', () => {
    const before = ['a->b', 'b->c', 'c->d', 'd->e'];
    const after = ['d->e', 'b->c', 'c->d', 'a->x'];
    const d = diffGraphs({ snapshot: snapshot(before), ranking: ranking(before) }, { snapshot: snapshot(after), ranking: ranking(after) });
    expect(d).toEqual({
      first: false,
      newServices: ['x'],
      vanishedServices: [],
      newEdges: ['a->x'],
      vanishedEdges: ['a->b'],
      riskMoves: [{ edge: 'd->e', fromRank: 4, toRank: 1, fromScore: 7, toScore: 10 }],
    });
    expect(hasTopologyChanges(d)).toBe(true);
  });
});
