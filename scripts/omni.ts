#!/usr/bin/env node
/** Entry point of the `omni` CLI. Commands are loaded lazily: see scripts/commands/index.ts. */
import { runCli } from './cli/run.ts';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
