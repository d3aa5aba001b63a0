/**
 * `omni validate` at 10,000 presence configurations against its peer, xmllint (schema only) over the same
 * XML, pair by pair in one run (A B A B …), with and without the spec. Wall time and peak RSS of each whole
 * process come from GNU time (`/usr/bin/time -f "%e %M"`); the ratio is taken per pair, so a machine that
 * drifts (shared, loaded) moves both sides. Writes the `## Validate at scale` section of bench/RESULTS.md.
 *
 *   node bench/validate/scale.ts [configurations=10000] [pairs=5]
 *
 * Needs xmllint and the Metadata XSD (OMNI_XSD, default ../shared/reference/omni-metadata.xsd next to the repo).
 */
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateScaleProject } from './scale-project.ts';
import { median, writeResultsSection } from '../results.ts';
import { type Sample, timed } from './timed.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const xsd = process.env.OMNI_XSD ?? path.resolve(repoRoot, '../shared/reference/omni-metadata.xsd');
const configs = Number(process.argv[2] ?? 10_000);
const pairs = Number(process.argv[3] ?? 5);
const bin = path.join(repoRoot, 'scripts/omni.mjs');

const load = () => loadavg()[0].toFixed(1);

const root = generateScaleProject(configs);
try {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('-meta.xml')) files.push(path.relative(root, full));
    }
  };
  walk(path.join(root, 'force-app'));
  const listFile = path.join(root, 'files.txt');
  writeFileSync(listFile, files.join('\n'));
  const xmllint = ['sh', '-c', `exec xmllint --noout --schema '${xsd}' $(cat files.txt)`];
  const cases = [
    { label: 'XML only (`omni validate force-app`)', omni: [process.execPath, bin, 'validate', 'force-app'] },
    { label: 'spec + XML (`omni validate`)', omni: [process.execPath, bin, 'validate'] },
  ];
  const loadBefore = load();
  const results = cases.map((c) => {
    timed(c.omni, root); // warm-up: file cache, stripped-TypeScript cache
    timed(xmllint, root);
    const samples: { omni: Sample; peer: Sample }[] = [];
    for (let i = 0; i < pairs; i++) {
      const omni = timed(c.omni, root);
      const peer = timed(xmllint, root);
      if (omni.code !== 0) throw new Error(`${c.label}: omni exit ${omni.code}`);
      samples.push({ omni, peer });
    }
    const ratios = samples.map((s) => s.omni.wall / s.peer.wall);
    const cpuRatios = samples.map((s) => s.omni.cpu / s.peer.cpu);
    const r = {
      label: c.label,
      omniWall: median(samples.map((s) => s.omni.wall)),
      peerWall: median(samples.map((s) => s.peer.wall)),
      ratio: median(ratios),
      ratios,
      cpuRatio: median(cpuRatios),
      omniPeak: Math.max(...samples.map((s) => s.omni.peakMiB)),
      peerPeak: Math.max(...samples.map((s) => s.peer.peakMiB)),
    };
    console.log(`${r.label}: omni ${r.omniWall.toFixed(2)} s, xmllint ${r.peerWall.toFixed(2)} s, ratio ${r.ratio.toFixed(2)}, cpu ratio ${r.cpuRatio.toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')}), peak ${r.omniPeak.toFixed(0)} MiB vs ${r.peerPeak.toFixed(0)} MiB`);
    return r;
  });
  const loadAfter = load();
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const section = [
    '## Validate at scale',
    '',
    `\`node bench/validate/scale.ts ${configs} ${pairs}\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s), load average ${loadBefore} before / ${loadAfter} after (the machine is shared: read the ratios, taken pair by pair, A B A B…).`,
    `Project generated from a spec of ${configs.toLocaleString('en-US')} presence configurations (\`omni generate\`): ${files.length.toLocaleString('en-US')} XML files. Peer: \`xmllint --noout --schema\` over the same files. Wall and peak RSS per whole process (GNU time); ${pairs} pairs after a warm-up.`,
    '',
    '| Case | omni wall (median) | xmllint wall (median) | wall ratio omni/xmllint (median; per pair) | CPU ratio (median) | omni peak RSS (max) | target |',
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.omniWall.toFixed(2)} s | ${r.peerWall.toFixed(2)} s | **${r.ratio.toFixed(2)}×** (${r.ratios.map((x) => x.toFixed(2)).join(', ')}) | ${r.cpuRatio.toFixed(2)}× | ${r.omniPeak.toFixed(0)} MiB | ≤ 4×: ${verdict(r.ratio <= 4)}; ≤ 120 MiB: ${verdict(r.omniPeak <= 120)} |`,
    ),
    '',
  ].join('\n');
  await writeResultsSection(section);
} finally {
  rmSync(root, { recursive: true, force: true });
}
