/** Runs one omni command in this process and reports wall time and peak RSS on stderr (for bench/assign/run.ts). */
import { runCli } from '../../scripts/cli/run.ts';

const started = performance.now();
let bytes = 0;
const sink = { write: (s: string) => ((bytes += s.length), true) } as unknown as NodeJS.WritableStream;
const code = await runCli(process.argv.slice(2), { stdout: sink });
process.stderr.write(`BENCH ${JSON.stringify({ code, ms: Math.round(performance.now() - started), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), heapMb: Math.round(process.memoryUsage().heapUsed / 1e6), outputBytes: bytes })}\n`);
process.exitCode = code;
