#!/usr/bin/env node
/** Entry point of the `omni` CLI: oclif over the sf command classes (scripts/cli/run.ts). */
import { runCli } from './cli/run.ts';

// jsforce warns "Using insecure protocol: http:" on every connection; for the loopback local org that is
// expected and only noise. Any other process warning is still printed as Node would.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (/insecure protocol: http: on url: http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(warning.message)) return;
  process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
});

// `omni doctor | head`: the reader closed the pipe. Nothing more can be shown, so end quietly (as
// `git log | head` does) instead of crashing with an unhandled EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), { processOwn: true });
process.exitCode = code;
