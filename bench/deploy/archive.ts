/**
 * Benchmark: the CPU of building the deployment archive of N generated presence configurations with SDR (its
 * ComponentSet and MetadataConverter to a zip, as `omni deploy` and `sf project deploy start` do), with SDR's own
 * JSZip settings (every entry deflated by pako) and with omni's (scripts/deploy/sdr-deploy.ts withArchiveSettings:
 * the deployment archive deflated by Node's zlib), alternating A B A B in one process after a warm-up. Prints the
 * CPU seconds (user + system of this process) of each run, their medians and the archive sizes.
 *
 * Run: node bench/deploy/archive.ts [N=5000] [RUNS=4]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withArchiveSettings } from '../../scripts/deploy/sdr-deploy.ts';
import { median } from '../results.ts';

const N = Number(process.argv[2] ?? 5000);
const RUNS = Number(process.argv[3] ?? 4);
const sdr = createRequire(import.meta.url)('@salesforce/source-deploy-retrieve') as typeof import('@salesforce/source-deploy-retrieve');

const dir = mkdtempSync(join(tmpdir(), 'omni-archive-bench-'));
try {
  const configs = join(dir, 'force-app/main/default/presenceUserConfigs');
  mkdirSync(configs, { recursive: true });
  for (let i = 0; i < N; i++) {
    const name = `Generated_Config_${String(i).padStart(4, '0')}`;
    writeFileSync(join(configs, `${name}.presenceUserConfig-meta.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`);
  }
  const build = async () => {
    const { zipBuffer } = await new sdr.MetadataConverter().convert(sdr.ComponentSet.fromSource(join(dir, 'force-app')), 'metadata', { type: 'zip' });
    return zipBuffer!.length;
  };
  const ways = { 'SDR (pako)': build, 'omni (zlib)': () => withArchiveSettings(build) };
  await build();
  await ways['omni (zlib)']();
  const cpu: Record<string, number[]> = { 'SDR (pako)': [], 'omni (zlib)': [] };
  const size: Record<string, number> = {};
  for (let round = 0; round < RUNS; round++) {
    const order = round % 2 === 0 ? (['SDR (pako)', 'omni (zlib)'] as const) : (['omni (zlib)', 'SDR (pako)'] as const);
    for (const way of order) {
      const before = process.cpuUsage();
      size[way] = await ways[way]();
      const used = process.cpuUsage(before);
      cpu[way]!.push((used.user + used.system) / 1e6);
    }
  }
  console.log(`${N} presence configurations, ${RUNS} runs each, load average ${loadavg()[0].toFixed(1)}`);
  for (const way of Object.keys(cpu)) console.log(`${way}: CPU ${cpu[way]!.map((s) => s.toFixed(2)).join(', ')} s (median ${median(cpu[way]!).toFixed(2)} s), archive ${size[way]} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
