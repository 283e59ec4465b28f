#!/usr/bin/env node
// Process entry for the `faultline` package bin. The CLI is TypeScript run
// through tsx, so a fresh `npm ci` needs no build step before `faultline demo`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
