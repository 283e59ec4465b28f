/**
 * The `faultline` CLI as its own process, straight from the TypeScript
 * (bin/faultline.js runs the built dist/, which a test must not depend
 * on): `node --import tsx test/src/cli/cli-entry.ts <command> …`. Tests
 * that send signals to a real faultline process spawn this.
 */
import { main } from '../../../src/cli.js';

process.exitCode = await main(process.argv.slice(2));
