/**
 * The real, unmodified sf CLI against the local org's Metadata API, in a temp project with an
 * isolated HOME: deploy, a failing deploy that leaves the org unchanged, and retrieve. The failing deploy runs
 * as a spawned sf process (its exit code is the process's); the others through the same sf entry in the HOME's
 * sf runner (test/helpers/sf-runner.ts), which loads sf's modules once.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeSf, api, dataPath, makeSfHome, runProcess, SF_BIN, startTestOrg, type SfHome } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { sfRun } from '../../helpers/sf-runner.ts';
import { OMNI_PROJECT, orgSnapshot, writeProject, xml, type TempProject } from './helpers.ts';

describe('sf CLI against the local org', () => {
  let org: LocalOrg;
  let home: SfHome;
  let project: TempProject;

  const sf = (args: string[]) => sfRun(home.env, [...args, '--target-org', 'local', '--json'], { cwd: project.root, timeoutMs: 90_000 });
  const sfSpawned = (args: string[]) => runProcess(SF_BIN, [...args, '--target-org', 'local', '--json'], { env: home.env, cwd: project.root, timeoutMs: 90_000 });

  beforeAll(async () => {
    org = await startTestOrg();
    home = makeSfHome();
    await authorizeSf(home, org, 'local');
    project = writeProject(OMNI_PROJECT);
  }, 60_000);

  afterAll(async () => {
    project?.cleanup();
    await home?.cleanup();
    await org?.stop();
  });

  it('sf project deploy start --source-dir force-app exits 0 and the records exist', async () => {
    const result = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '2']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json.result.status).toBe('Succeeded');
    const files = result.json.result.files.filter((f: any) => f.state === 'Created').map((f: any) => `${f.type}:${f.fullName}`);
    expect(files).toContain('PresenceUserConfig:Tier1');
    const config = org.store.lookup('PresenceUserConfig', 'DeveloperName', 'Tier1')![0];
    expect(config.Capacity).toBe(4);
    expect(org.store.lookup('PresenceUserConfigUser', 'PresenceUserConfigId', config.Id)).toHaveLength(2);
    // …and queryable over REST, assignments through the junction's parent relationships.
    const q = encodeURIComponent("SELECT User.Username, PresenceUserConfig.Capacity FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'Tier1' ORDER BY User.Username");
    const rows = await api(org, 'GET', dataPath(`/query?q=${q}`));
    expect(rows.status).toBe(200);
    expect(rows.body.records.map((r: any) => [r.User.Username, r.PresenceUserConfig.Capacity])).toEqual([
      ['agent01@omni.local', 4],
      ['agent02@omni.local', 4],
    ]);
  }, 120_000);

  it('a broken presence configuration makes it exit 1 with the component error; the org is unchanged', async () => {
    const before = orgSnapshot(org);
    const path = join(project.packageDir, 'main/default/presenceUserConfigs/Broken.presenceUserConfig-meta.xml');
    writeFileSync(path, xml('PresenceUserConfig', '    <capacity>3</capacity>\n    <label>Broken</label>\n    <presenceStatusOnPushTimeout>No_Such_Status</presenceStatusOnPushTimeout>'));
    try {
      const result = await sfSpawned(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '2']);
      expect(result.code).toBe(1);
      const failures = (result.json.data?.files ?? result.json.result?.files ?? []).filter((f: any) => f.state === 'Failed');
      expect(failures).toEqual([
        expect.objectContaining({
          fullName: 'Broken',
          type: 'PresenceUserConfig',
          // SDR appends the line:column the server reported.
          error: 'In field: presenceStatusOnPushTimeout - no ServicePresenceStatus named No_Such_Status found (5:5)',
          lineNumber: 5,
        }),
      ]);
      expect(orgSnapshot(org)).toBe(before);
    } finally {
      rmSync(path);
    }
  }, 120_000);

  it('sf project retrieve start -m PresenceUserConfig writes the files', async () => {
    const dir = join(project.packageDir, 'main/default/presenceUserConfigs');
    rmSync(dir, { recursive: true, force: true });
    const result = await sf(['project', 'retrieve', 'start', '-m', 'PresenceUserConfig']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'Tier1.presenceUserConfig-meta.xml'), 'utf8')).toBe(OMNI_PROJECT['presenceUserConfigs/Tier1.presenceUserConfig-meta.xml']);
    expect(existsSync(join(dir, 'default_presence_config.presenceUserConfig-meta.xml'))).toBe(true);
  }, 120_000);
  it('sf project delete source --metadata PresenceUserConfig:Tier1 --no-prompt deletes the record and its junction rows; a retrieve no longer returns it', async () => {
    const tier1 = org.store.lookup('PresenceUserConfig', 'DeveloperName', 'Tier1')![0];
    expect(org.store.lookup('PresenceUserConfigUser', 'PresenceUserConfigId', tier1.Id)).toHaveLength(2);
    const result = await sf(['project', 'delete', 'source', '--metadata', 'PresenceUserConfig:Tier1', '--no-prompt']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json.result.status).toBe('Succeeded');
    expect(result.json.result.deletedSource ?? result.json.result.files).toEqual(expect.arrayContaining([expect.objectContaining({ fullName: 'Tier1', type: 'PresenceUserConfig', state: 'Deleted' })]));
    expect(org.store.lookup('PresenceUserConfig', 'DeveloperName', 'Tier1')).toEqual([]);
    for (const junction of ['PresenceUserConfigUser', 'PresenceUserConfigProfile', 'PresenceConfigDeclineReason']) expect(org.store.lookup(junction, 'PresenceUserConfigId', tier1.Id)).toEqual([]);
    const dir = join(project.packageDir, 'main/default/presenceUserConfigs');
    rmSync(dir, { recursive: true, force: true });
    const retrieve = await sf(['project', 'retrieve', 'start', '-m', 'PresenceUserConfig']);
    expect(retrieve.code, retrieve.stdout + retrieve.stderr).toBe(0);
    expect(existsSync(join(dir, 'default_presence_config.presenceUserConfig-meta.xml'))).toBe(true);
    expect(existsSync(join(dir, 'Tier1.presenceUserConfig-meta.xml'))).toBe(false);
  }, 120_000);
});
