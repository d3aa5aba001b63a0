/**
 * A throwaway SFDX project whose spec (config/omni-channel.yaml) holds N presence configurations plus 200
 * statuses, 200 channels, 20 decline reasons and 50 routing configurations; `omni generate` then writes its
 * XML. Shared by the validate scale bench and anything else that needs a big, valid project.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The spec text: N configurations, each with a profile, two decline reasons and two status references. */
export function scaleSpec(configs: number): string {
  const out: string[] = ['settings:', '  enableOmniChannel: true', 'channels:'];
  for (let i = 0; i < 200; i++) out.push(`  Channel_${i}:`, `    label: Channel ${i}`, `    relatedEntityType: Routed_${i}__c`);
  out.push('statuses:');
  for (let i = 0; i < 200; i++) {
    out.push(`  Status_${i}:`, `    label: Status ${i}`);
    // every 4th status has no channels: an Away status
    if (i % 4 !== 0) out.push(`    channels: [Channel_${i}, Channel_${(i + 1) % 200}]`);
  }
  out.push('declineReasons:');
  for (let i = 0; i < 20; i++) out.push(`  Reason_${i}:`, `    label: Reason ${i}`);
  out.push('presenceConfigurations:');
  for (let i = 0; i < configs; i++) {
    const away = `Status_${(i * 4) % 200}`;
    out.push(
      `  Config_${i}:`,
      `    label: Config ${i}`,
      `    capacity: ${1 + (i % 10)}`,
      '    allowDecline: true',
      `    declineReasons: [Reason_${i % 20}, Reason_${(i + 7) % 20}]`,
      `    statusOnDecline: ${away}`,
      `    statusOnPushTimeout: ${away}`,
      '    requestSound: true',
      '    disconnectSound: true',
      `    profiles: ['Profile ${i}']`,
    );
  }
  out.push('routingConfigs:');
  for (let i = 0; i < 50; i++) {
    out.push(`  Routing_${i}:`, `    label: Routing ${i}`, '    routingModel: MOST_AVAILABLE', `    routingPriority: ${i % 5}`, '    capacityWeight: 1');
  }
  return `${out.join('\n')}\n`;
}

/** Writes the project and runs `omni generate` in it; returns its root (the caller removes it). */
export function generateScaleProject(configs: number): string {
  const root = mkdtempSync(path.join(tmpdir(), `omni-bench-scale-${configs}-`));
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  mkdirSync(path.join(root, 'config'));
  writeFileSync(path.join(root, 'config/omni-channel.yaml'), scaleSpec(configs));
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/omni.ts'), 'generate', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: 'true' } });
  if (run.status !== 0) throw new Error(`omni generate failed (exit ${run.status}): ${(run.stderr || run.stdout).slice(0, 2000)}`);
  return root;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(generateScaleProject(Number(process.argv[2] ?? 10000)));
}
