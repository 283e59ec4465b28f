/** A PlanInput for the sample system, the way createPlan builds it. */
import { inferClaims } from '../../generators/claim-inference.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import type { Manifest } from '../../generators/manifest.js';
import type { PlanInput } from '../../generators/plan-generator.js';
import { manifestYaml, sampleRanking, sampleSnapshot } from './sample-system.js';

/** Sample input; `manifestText` swaps the manifest. */
export function sampleInput(manifestText = manifestYaml): PlanInput {
  const manifest: Manifest = parseManifest(manifestText, { baseDir: '.' });
  const snapshot = sampleSnapshot();
  const ranking = sampleRanking();
  const inferred = inferClaims(snapshot, ranking, manifest.claims, manifest.entrypoints, { probes: manifest.probes });
  return { manifest, snapshot, ranking, claims: [...manifest.claims, ...inferred.claims], missing: inferred.missing, now: new Date('2026-02-03T04:05:06.000Z') };
}
