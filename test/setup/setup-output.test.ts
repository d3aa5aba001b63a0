/**
 * What `omni setup` prints for a newcomer (issue #12 item 11): every stage once (the table on stdout, no
 * second copy of the stage lines on stderr), and the doctor's warnings by name with their fix, not only
 * their count.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const FILE = 'config/assignments/all-agents.yaml';
const STAGES = ['doctor', 'validate', 'deploy', 'assign', 'grant', 'verify'];

describe('omni setup, human output', () => {
  let org: LocalOrg;
  let project: ReturnType<typeof makeProject>;
  beforeAll(async () => {
    org = await startTestOrg();
    project = makeProject({ copy: SAMPLE_WITH_CONFIG });
    writeFileSync(join(project.dir, FILE), `presenceConfigurations:\n  default_presence_config:\n    users:\n      permissionSets: [Omni_Agent]\n`);
  });
  afterAll(async () => {
    await org?.stop();
    project?.cleanup();
  });

  it('prints each stage once and names each doctor warning with its fix', async () => {
    const r = await omni(org, project.dir, ['setup', '--assignments', FILE]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const all = `${r.stdout}\n${r.stderr}`;
    for (const name of STAGES) {
      const rows = all.split('\n').filter((l) => new RegExp(`^(\\[\\d/6\\] )?${name}\\b`).test(l));
      expect(rows, name).toHaveLength(1);
    }
    const doctorRow = r.stdout.split('\n').find((l) => l.startsWith('doctor'))!;
    expect(doctorRow).toMatch(/^doctor +warn +[\d.]+ s +\d+ ok, (?:1 warning|[2-9] warnings|[1-9]\d+ warnings), \d+ skipped\.$/);
    const count = Number(/(\d+) warnings?/.exec(doctorRow)![1]);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf(doctorRow);
    const warned = lines.slice(at + 1).filter((l) => /^\s+WARN /.test(l));
    expect(warned).toHaveLength(count);
    // Each is followed by its fix (after the findings it lists, one per line).
    for (const w of warned) {
      let next = lines.indexOf(w) + 1;
      while (/^\s+- \S/.test(lines[next])) next++;
      expect(lines[next]).toMatch(/^\s+fix: \S/);
    }
  });
});
