import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { CONFIG, cruise, fixtureTree, type CruiseOutcome } from './depcruise.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fixture tree, removed after the file's tests. */
function tree(modules: Record<string, string[]>): string {
  const dir = fixtureTree(modules);
  made.push(dir);
  return dir;
}

/** Every floor once, each importing only the one below it. */
const DOWNWARD: Record<string, string[]> = {
  'base/errors.ts': [],
  'ingest/span.ts': ['base/errors.ts'],
  'graph/model.ts': ['ingest/span.ts', 'type:base/errors.ts'],
  'claims/claim.ts': ['graph/model.ts'],
  'generators/plan.ts': ['claims/claim.ts', 'type:graph/model.ts'],
  'runners/faults/fault-injector.ts': ['base/errors.ts'],
  'runners/proxy/server.ts': ['runners/faults/fault-injector.ts'],
  'runners/record/result.ts': ['generators/plan.ts'],
  'runners/analyse/verdict.ts': ['runners/record/result.ts', 'runners/faults/fault-injector.ts'],
  'runners/execute/scenario.ts': ['runners/analyse/verdict.ts', 'runners/proxy/server.ts'],
  'examples/demo/index.ts': ['runners/proxy/server.ts'],
  'src/cli.ts': ['runners/execute/scenario.ts', 'base/errors.ts', 'examples/demo/index.ts'],
  'bench/run.ts': ['examples/demo/index.ts'],
  'test/cli.test.ts': ['src/cli.ts', 'examples/demo/index.ts', 'bench/run.ts'],
};

/**
 * Back edges, each to a module that imports nothing, so no edge here also
 * closes a cycle and each case shows up as exactly its own floor rule.
 */
const BACK_EDGES: [what: string, from: string, to: string, rule: string][] = [
  ['a stage importing a later stage', 'graph/model.ts', 'generators/leaf.ts', 'floor-graph'],
  ['a type-only import of a later stage', 'ingest/span.ts', 'type:claims/leaf.ts', 'floor-ingest'],
  ['base importing a stage', 'base/errors.ts', 'ingest/leaf.ts', 'floor-base'],
  ['a stage importing the service shell', 'runners/execute/scenario.ts', 'src/leaf.ts', 'floor-runners'],
  ['the core importing an example', 'runners/execute/scenario.ts', 'examples/demo/leaf.ts', 'floor-runners'],
  ['an example importing the service shell', 'examples/demo/index.ts', 'src/leaf.ts', 'floor-examples'],
  ['the core importing a test', 'claims/claim.ts', 'test/leaf.ts', 'floor-claims'],
  ['the fault seam importing the executor', 'runners/faults/fault-injector.ts', 'runners/execute/leaf.ts', 'runners-floor-faults'],
  ['the results importing the analysis', 'runners/record/result.ts', 'runners/analyse/leaf.ts', 'runners-floor-record'],
];

function withBackEdges(): Record<string, string[]> {
  const modules: Record<string, string[]> = { ...DOWNWARD };
  for (const [, from, to] of BACK_EDGES) {
    modules[from] = [...modules[from], to];
    modules[to.replace(/^type:/, '')] = [];
  }
  return modules;
}

describe('the import floors (npm test runs dependency-cruiser with .dependency-cruiser.cjs)', () => {
  let backEdges: CruiseOutcome;
  beforeAll(async () => {
    backEdges = await cruise(tree(withBackEdges()));
  });

  it('accept a tree whose imports only point down', async () => {
    const outcome = await cruise(tree(DOWNWARD));
    expect(outcome.violations).toEqual([]);
    expect(outcome.exitCode, outcome.output).toBe(0);
  });

  it.each(BACK_EDGES)('reject %s', (_what, from, to, rule) => {
    expect(backEdges.violations).toContainEqual({ rule, from, to: to.replace(/^type:/, '') });
  });

  it('fail the check on back edges, and report nothing else', () => {
    expect(backEdges.exitCode).not.toBe(0);
    expect(backEdges.violations).toHaveLength(BACK_EDGES.length);
  });

  it('reject an import cycle inside one floor', async () => {
    const outcome = await cruise(tree({ ...DOWNWARD, 'graph/model.ts': ['graph/risk.ts'], 'graph/risk.ts': ['graph/model.ts'] }));
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].rule).toBe('no-cycles');
    expect(['graph/model.ts', 'graph/risk.ts']).toContain(outcome.violations[0].from);
  });

  it('name every top-level folder with code as a floor or as sitting on top of them', () => {
    // A new top-level folder the rules do not name would escape them.
    const config = createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string; to: { path?: string } }[] };
    const base = config.forbidden.find((r) => r.name === 'floor-base');
    const named = new Set(['base', ...(base?.to.path ?? '').replace(/^\^\(|\)\/$/g, '').split('|')]);
    // bin/ only loads the built CLI from dist/; docs/ and docker/ hold no code.
    const tooling = new Set(['bin', 'docs', 'docker']);
    const withCode = readdirSync(repoRoot).filter((name) => {
      if (name.startsWith('.') || name === 'node_modules' || name === 'dist' || tooling.has(name)) return false;
      return statSync(join(repoRoot, name)).isDirectory() && hasCode(join(repoRoot, name));
    });
    expect(withCode.length).toBeGreaterThan(6);
    expect(withCode.filter((name) => !named.has(name))).toEqual([]);
  });
});

function hasCode(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? hasCode(join(dir, e.name)) : /\.(ts|js|mjs|cjs)$/.test(e.name));
}
