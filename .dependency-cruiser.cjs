/**
 * The floors of faultline (docs/architecture.md, "Floors"). From the bottom
 * up; a floor may import only the floors to its left:
 *
 *   base, ingest, graph, claims, generators, runners, examples, src
 *
 * and inside runners/, the same for its folders:
 *
 *   faults, proxy, record, analyse, execute
 *
 * faults/ is the injector seam and its vocabulary, and proxy/ the fault
 * proxy that speaks it; record/ holds the result types (verdicts, landing
 * evidence, findings) that analyse/ computes and execute/, which drives a
 * scenario, assembles. examples/ are the systems `faultline demo` ships:
 * they use the fault proxy and OTLP receiver to launch, and the CLI's demo
 * command starts them, so they sit between runners/ and src/ (the core below
 * them still knows none of their names: test/architecture/no-example-
 * knowledge.test.ts). bench/, test/ and console/ sit on top: they may import
 * anything, and nothing below imports them. `npm test` runs this
 * check (`npm run floors`) before vitest; a back edge, type-only or not, or
 * an import cycle fails it.
 *
 * There are no exceptions: the back edges that existed when the check
 * arrived have all been removed, and a new one fails the build.
 */
const FLOORS = ['base', 'ingest', 'graph', 'claims', 'generators', 'runners', 'examples', 'src'];
const RUNNER_FLOORS = ['faults', 'proxy', 'record', 'analyse', 'execute'];
// console/ is the web console: a browser bundle that reaches faultline over
// its REST API, so nothing below may import it.
const ON_TOP = ['bench', 'test', 'console'];

const any = (names, prefix = '') => `^${prefix}(${names.join('|')})/`;

/** One rule per floor: nothing in it imports a floor above it, nor what sits on top. */
const floorRules = FLOORS.map((floor, i) => ({
  name: `floor-${floor}`,
  comment: `${floor}/ sits below ${[...FLOORS.slice(i + 1), ...ON_TOP].join(', ')}: it may not import them (docs/architecture.md, "Floors")`,
  severity: 'error',
  from: { path: `^${floor}/` },
  to: { path: any([...FLOORS.slice(i + 1), ...ON_TOP]) },
}));

const runnerRules = RUNNER_FLOORS.slice(0, -1).map((floor, i) => ({
  name: `runners-floor-${floor}`,
  comment: `runners/${floor}/ sits below runners/${RUNNER_FLOORS.slice(i + 1).join(', runners/')}: it may not import them`,
  severity: 'error',
  from: { path: `^runners/${floor}/` },
  to: { path: any(RUNNER_FLOORS.slice(i + 1), 'runners/') },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...floorRules,
    ...runnerRules,
    {
      name: 'no-cycles',
      comment: 'an import cycle ties its modules into one: neither can be tested or replaced alone',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports are edges too: a type from a floor above is a
    // dependency on its design, whatever the emitted JavaScript says.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage|\\.git|\\.faultline)/|(^|/)node_modules/' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
