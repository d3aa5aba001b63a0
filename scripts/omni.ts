#!/usr/bin/env node
/** Entry point of the `omni` CLI. Commands are loaded lazily: see scripts/commands/index.ts. */
import { runCli } from './cli/run.ts';

// jsforce warns "Using insecure protocol: http:" on every connection; for the loopback local org that is
// expected and only noise. Any other process warning is still printed as Node would.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (/insecure protocol: http: on url: http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(warning.message)) return;
  process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
});

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
