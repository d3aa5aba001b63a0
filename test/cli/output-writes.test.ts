/**
 * A file a command is asked to write (assign export's backup, graph's picture) that cannot be written is
 * the catalogue's OutputWriteFailed (exit 1, the path, the OS error, an action), found before the org is
 * read, never a raw EACCES after a long read; the files generate, import and retrieve write likewise; the
 * local org's state file before it starts. Tests run as root, for whom permission bits deny nothing: a
 * regular file where the folder should be makes the write fail for root too.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';
import { startDeployedSampleOrg } from '../helpers/deployed-org.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('output file unwritable', () => {
  for (const flag of ['--csv', '--yaml']) {
    it(`assign export ${flag} into a folder that is a file: OutputWriteFailed before any query, nothing written`, async () => {
      const org = await startTestOrg();
      const p = makeProject();
      cleanups.push(() => org.stop(), () => p.cleanup());
      writeFileSync(join(p.dir, 'backups'), 'a file where the folder should be');
      org.resetStats();
      const r = await omniInProcess(org, p.dir, ['assign', 'export', flag, 'backups/agents.out', '--json']);
      expect(r.code, r.stdout).toBe(1);
      expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
      expect(r.json.exitCode).toBe(1);
      expect(r.json.message).toMatch(/^Could not write backups\/agents\.out: (ENOTDIR|EEXIST) \(.*\)\. Nothing was written there\.$/);
      expect(r.json.actions).toEqual([expect.stringMatching(/folder you can write to/)]);
      // The org's assignments were not read for nothing.
      expect(org.stats().byEndpoint.query ?? 0).toBe(0);
    }, 60_000);
  }

  it('graph --output into a folder that is a file: OutputWriteFailed, exit 1', async () => {
    const p = makeProject();
    cleanups.push(() => p.cleanup());
    writeFileSync(join(p.dir, 'docs'), 'a file where the folder should be');
    const r = await omniOffline(p.dir, ['graph', '--output', 'docs/routing.html', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
    expect(r.json.message).toMatch(/^Could not write docs\/routing\.html: (ENOTDIR|EEXIST) \(.*\)\. Nothing was written there\.$/);
    expect(readFileSync(join(p.dir, 'docs'), 'utf8')).toBe('a file where the folder should be');
  });

  it('org local --state in a folder that is a file: StateFileUnusable.unwritable, exit 1, no org started', async () => {
    const p = makeProject();
    cleanups.push(() => p.cleanup());
    writeFileSync(join(p.dir, 'orgs'), 'a file where the folder should be');
    const r = await omniOffline(p.dir, ['org', 'local', '--state', 'orgs/state.json', '--json'], {}, 30_000);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('StateFileUnusable');
    expect(r.json.message).toMatch(/^Cannot write the local org's state file orgs\/state\.json: (ENOTDIR|EEXIST) \(.*\)\. No org was started\.$/);
    expect(r.json.actions).toEqual([expect.stringMatching(/another --state FILE/)]);
  });

  it('generate into a metadata folder that is a file: OutputWriteFailed naming the file, exit 1', async () => {
    const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
    cleanups.push(() => p.cleanup());
    const folder = join(p.dir, 'force-app/main/default/presenceUserConfigs');
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'a file where the folder should be');
    const r = await omniOffline(p.dir, ['generate', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
    expect(r.json.message).toMatch(/^Could not write force-app\/main\/default\/presenceUserConfigs\/\w+\.presenceUserConfig-meta\.xml: (ENOTDIR|EEXIST) \(.*\)\. Nothing was written there\.$/);
  });

  it('import --out into a folder that is a file: OutputWriteFailed naming the spec, exit 1', async () => {
    const p = makeProject();
    cleanups.push(() => p.cleanup());
    writeFileSync(join(p.dir, 'specs'), 'a file where the folder should be');
    const r = await omniOffline(p.dir, ['import', '--source-dir', 'force-app', '--out', 'specs/omni.yaml', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
    expect(r.json.message).toMatch(/^Could not write specs\/omni\.yaml: (ENOTDIR|EEXIST) \(.*\)\. Nothing was written there\.$/);
  });

  it('retrieve --output-dir under a file: OutputWriteFailed naming the first file, exit 1', async () => {
    const org = await startDeployedSampleOrg();
    const p = makeProject();
    cleanups.push(() => org.stop(), () => p.cleanup());
    writeFileSync(join(p.dir, 'retrieved'), 'a file where the folder should be');
    const r = await omniInProcess(org, p.dir, ['retrieve', '--output-dir', 'retrieved/force-app', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name, r.stdout).toBe('OutputWriteFailed');
    expect(r.json.message).toMatch(/^Could not write retrieved\/force-app\/\S+: (ENOTDIR|EEXIST) \(.*\)\. Nothing was written there\.$/);
  }, 60_000);
});
