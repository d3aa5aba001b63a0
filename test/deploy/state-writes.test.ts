/**
 * The local state a deploy writes (its record under .omni/deploys, a dry run's too; the assignment snapshot
 * and the record settings' journal of a real one) is checked writable before anything goes to the org: an
 * unwritable .omni/ is the catalogue's StateWriteFailed (exit 1, actions), never a raw EACCES, and the org is
 * not asked anything. Tests run as root, for whom permission bits deny nothing: a regular file where the
 * folder should be makes every write under it fail for root too. A write that fails after the deployment
 * was sent says so, with its id and how to follow it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';
import { sessionFor } from '../assign/helpers.ts';
import { applyRecordSettings, loadRecordSettings } from '../../scripts/deploy/record-settings.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fresh org and a copy of the sample (`spec`: with config/omni-channel.yaml, whose record settings deploy writes). */
async function orgAndProject(spec = false): Promise<{ org: LocalOrg; dir: string }> {
  const org = await startTestOrg();
  const p = makeProject(spec ? { copy: SAMPLE_WITH_CONFIG } : {});
  cleanups.push(() => org.stop(), () => p.cleanup());
  return { org, dir: p.dir };
}

describe('deploy: local state unwritable', () => {
  for (const [label, args] of [
    ['--dry-run', ['deploy', '--dry-run', '--json']],
    ['a real deploy (no assignments, so no snapshot to write)', ['deploy', '--json']],
  ] as const) {
    it(`${label}: StateWriteFailed naming .omni/deploys, exit 1, nothing sent to the org`, async () => {
      const { org, dir } = await orgAndProject();
      writeFileSync(join(dir, '.omni'), 'a file where the folder should be');
      const configsBefore = [...org.store.all('PresenceUserConfig')].length;
      org.resetStats();
      const r = await omniInProcess(org, dir, [...args]);
      expect(r.code, r.stdout).toBe(1);
      expect(r.json.name, r.stdout).toBe('StateWriteFailed');
      expect(r.json.exitCode).toBe(1);
      expect(r.json.status).toBe(1);
      expect(r.json.message).toMatch(/^Could not write \.omni\/deploys: (ENOTDIR|EEXIST) \(.*\)\. Nothing was sent to the org\.$/);
      expect(r.json.actions).toEqual([expect.stringMatching(/\.omni\/ folder writable/)]);
      // Checked before connecting: the org saw no request at all, so no check-only deployment either.
      expect(org.stats().total).toBe(0);
      expect([...org.store.all('PresenceUserConfig')].length).toBe(configsBefore);
    }, 60_000);
  }

  it('--dry-run whose record cannot be saved once sent: StateWriteFailed says the check-only deployment was sent, its id and how to see it', async () => {
    const { org, dir } = await orgAndProject();
    // The folder takes new files, but last.json cannot be replaced (a folder holds its name).
    mkdirSync(join(dir, '.omni', 'deploys', 'last.json', 'x'), { recursive: true });
    org.resetStats();
    const r = await omniInProcess(org, dir, ['deploy', '--dry-run', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('StateWriteFailed');
    expect(org.stats().byEndpoint['soap/metadata:deploy']).toBe(1);
    const id = r.json.message.match(/deployment (0Af\w+) was sent/)?.[1];
    expect(id, r.json.message).toMatch(/^0Af/);
    expect(r.json.message).toMatch(/^Could not write \.omni\/deploys: \w+ \(.*\)\. The check-only deployment 0Af\w+ was sent to the org before this \(a dry run: it changes nothing there\)/);
    expect(r.json.actions[0]).toBe(`See its outcome by its id: omni deploy report ${id}`);
  }, 60_000);

  it('a real deploy whose record cannot be saved once sent: StateWriteFailed says the deployment was sent and goes on, its id and how to follow it', async () => {
    const { org, dir } = await orgAndProject();
    mkdirSync(join(dir, '.omni', 'deploys', 'last.json', 'x'), { recursive: true });
    org.resetStats();
    const r = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('StateWriteFailed');
    expect(org.stats().byEndpoint['soap/metadata:deploy']).toBe(1);
    const id = r.json.message.match(/deployment (0Af\w+) was sent/)?.[1];
    expect(id, r.json.message).toMatch(/^0Af/);
    expect(r.json.message).toMatch(/^Could not write \.omni\/deploys: \w+ \(.*\)\. The deployment 0Af\w+ was sent to the org before this and goes on there/);
    expect(r.json.actions[0]).toBe(`Follow the deployment by its id: omni deploy report ${id}`);
    // It is followed by that id without the local record.
    const report = await omniInProcess(org, dir, ['deploy', 'report', id, '--wait', '5', '--json']);
    expect(report.json.result?.id, report.stdout).toBe(id);
  }, 60_000);

  it('record settings to write and .omni/records unwritable: deploy and deploy resume stop before any request (StateWriteFailed naming .omni/records)', async () => {
    const { org, dir } = await orgAndProject(true);
    mkdirSync(join(dir, '.omni'));
    writeFileSync(join(dir, '.omni', 'records'), 'a file where the folder should be');
    org.resetStats();
    const r = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('StateWriteFailed');
    expect(r.json.message).toMatch(/^Could not write \.omni\/records: (ENOTDIR|EEXIST) \(.*\)\. Nothing was sent to the org\.$/);
    expect(org.stats().total).toBe(0);

    // An --async deploy (its record saved, its record settings left for resume), then the folder breaks.
    rmSync(join(dir, '.omni', 'records'));
    const started = await omniInProcess(org, dir, ['deploy', '--async', '--json']);
    expect(started.code, started.stdout).toBe(0);
    rmSync(join(dir, '.omni', 'records'), { recursive: true });
    writeFileSync(join(dir, '.omni', 'records'), 'a file where the folder should be');
    org.resetStats();
    const resumed = await omniInProcess(org, dir, ['deploy', 'resume', '--json']);
    expect(resumed.code, resumed.stdout).toBe(1);
    expect(resumed.json.name, resumed.stdout).toBe('StateWriteFailed');
    expect(resumed.json.message).toMatch(/^Could not write \.omni\/records: (ENOTDIR|EEXIST) \(.*\)\. Nothing was sent to the org\.$/);
    expect(org.stats().total).toBe(0);
  }, 60_000);

  it('the record settings\' journal cannot be written: StateWriteFailed naming it, no record setting written (the org\'s record unchanged)', async () => {
    const { org, dir } = await orgAndProject(true);
    const deployed = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(deployed.code, deployed.stdout).toBe(0);
    // The spec now asks for another sound length: applying it has a record to write.
    const spec = join(dir, 'config', 'omni-channel.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('seconds: 5', 'seconds: 7'));
    rmSync(join(dir, '.omni', 'records'), { recursive: true });
    const miaw = () => [...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === 'miaw')!;
    const soundLength = miaw().SoundLength;
    writeFileSync(join(dir, '.omni', 'records'), 'a file where the folder should be');
    org.resetStats();
    const session = await sessionFor(org);
    const error = await applyRecordSettings(session.connection, await loadRecordSettings(dir), {
      projectRoot: dir,
      org: { orgId: session.orgId, username: session.username, instanceUrl: session.instanceUrl, label: session.label },
    }).then(
      () => undefined,
      (e) => e,
    );
    expect(error?.name).toBe('StateWriteFailed');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^Could not write \.omni\/records\/\S+\.json: (ENOTDIR|EEXIST) \(.*\)\. No record setting was written to the org/);
    expect(org.stats().writes).toBe(0);
    expect(soundLength).toBe(5);
    expect(miaw().SoundLength).toBe(5);
  }, 60_000);
});

describe('setup: every local write it will make is checked before its first request', () => {
  for (const folder of ['runs', 'deploys', 'records']) {
    it(`.omni/${folder} unwritable: StateWriteFailed naming it, no request to the org (no stage deploys and then stops)`, async () => {
      const { org, dir } = await orgAndProject(true);
      mkdirSync(join(dir, '.omni'));
      writeFileSync(join(dir, '.omni', folder), 'a file where the folder should be');
      org.resetStats();
      const r = await omniInProcess(org, dir, ['setup', '--no-prompt', '--json']);
      expect(r.code, r.stdout).toBe(1);
      expect(r.json.name, r.stdout).toBe('StateWriteFailed');
      expect(r.json.message).toMatch(new RegExp(`^Could not write \\.omni/${folder}: (ENOTDIR|EEXIST) \\(.*\\)\\. Nothing was sent to the org\\.$`));
      expect(org.stats().total).toBe(0);
    }, 60_000);
  }

  it('--report into a folder that is a file: OutputWriteFailed before any request', async () => {
    const { org, dir } = await orgAndProject(true);
    writeFileSync(join(dir, 'reports'), 'a file where the folder should be');
    org.resetStats();
    const r = await omniInProcess(org, dir, ['setup', '--no-prompt', '--report', 'reports/setup.html', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
    expect(r.json.message).toMatch(/^Could not write reports\/setup\.html: (ENOTDIR|EEXIST) /);
    expect(org.stats().total).toBe(0);
  }, 60_000);
});
