/**
 * One project reader for every command: the project is found from any subfolder (as sf finds it), its
 * default files (spec, `.omni/` journals) resolve against the root, and `.forceignore` is matched the same
 * way by the validator's listing and by deploy/plan/retrieve (issue #12 item 10, issue #10 item 4).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProjectDocuments, readProject } from '../../scripts/deploy/project-docs.ts';
import { listMetadataFiles } from '../../scripts/metadata/project.ts';
import type { LocalOrg } from '../../local-org/server.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function project() {
  const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
  cleanups.push(p.cleanup);
  return p.dir;
}

describe('commands run from a subfolder of the project', () => {
  it('omni generate --check inside force-app/ finds the project and its default spec (exit 0, as at the root)', async () => {
    const root = project();
    const atRoot = await omniOffline(root, ['generate', '--check', '--json']);
    expect(atRoot.code, atRoot.stdout + atRoot.stderr).toBe(0);
    const inside = await omniOffline(join(root, 'force-app', 'main'), ['generate', '--check', '--json']);
    expect(inside.code, inside.stdout + inside.stderr).toBe(0);
    expect(inside.json.result).toEqual(atRoot.json.result);
  });

  it('omni import inside force-app/ writes the spec to config/omni-channel.yaml at the root, not into the subfolder', async () => {
    const root = project();
    const sub = join(root, 'force-app', 'main', 'default');
    const r = await omniOffline(sub, ['import', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(sub, 'config'))).toBe(false);
    expect(existsSync(join(root, 'config', 'omni-channel.yaml'))).toBe(true);
  });

  it('readProject from a nested folder: the same root, package directories and version as from the root', async () => {
    const root = project();
    const fromRoot = await readProject(root);
    expect(await readProject(join(root, 'force-app', 'main', 'default', 'queues'))).toEqual(fromRoot);
    expect(fromRoot.projectRoot).toBe(root);
    expect(fromRoot.packageDirs).toEqual([join(root, 'force-app')]);
  });

  it('outside any project, the reader deploy/plan/retrieve use fails with the one name NoProjectFound', async () => {
    const root = project();
    rmSync(join(root, 'sfdx-project.json'));
    await expect(readProject(join(root, 'force-app'))).rejects.toMatchObject({ name: 'NoProjectFound' });
  });
});

describe('assignment journals live in the project root', () => {
  let org: LocalOrg;
  it('assign apply from force-app/ journals under <root>/.omni/runs; assign undo from the root finds the run', async () => {
    org = await startTestOrg({ seedUsers: 3 });
    cleanups.push(() => org.stop());
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_sub', MasterLabel: 'cfg_sub', Capacity: 3 }, { system: true });
    const root = project();
    const sub = join(root, 'force-app');
    writeFileSync(join(root, 'agents.csv'), `username,presenceConfig\n${seedUsername(1)},cfg_sub\n`);
    const apply = await omniInProcess(org, sub, ['assign', 'apply', '--csv', '../agents.csv', '--json']);
    expect(apply.code, apply.stdout).toBe(0);
    const runId = apply.json.result.runId as string;
    expect(existsSync(join(sub, '.omni'))).toBe(false);
    expect(readdirSync(join(root, '.omni', 'runs'))).toContain(`${runId}.json`);
    const undo = await omniInProcess(org, root, ['assign', 'undo', runId, '--json']);
    expect(undo.code, undo.stdout).toBe(0);
    expect([...org.store.all('PresenceUserConfigUser')]).toHaveLength(0);
  });
});

describe('.forceignore: one matcher (the ignore package, as SDR) for validate and deploy/plan/retrieve', () => {
  it('a file the .forceignore excludes is neither validated nor compared/deployed', async () => {
    const root = project();
    const dir = join(root, 'force-app', 'main', 'default', 'presenceDeclineReasons');
    mkdirSync(join(root, 'force-app', 'drafts'), { recursive: true });
    writeFileSync(join(root, 'force-app', 'drafts', 'Draft.presenceDeclineReason-meta.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceDeclineReason xmlns="http://soap.sforce.com/2006/04/metadata"><label>Draft</label></PresenceDeclineReason>\n');
    writeFileSync(join(root, '.forceignore'), '**/drafts/**\n');
    const listed = (await listMetadataFiles([join(root, 'force-app')])).map((f) => f.path);
    const docs = await loadProjectDocuments(root, []);
    expect(listed.some((p) => p.includes('drafts'))).toBe(false);
    expect(docs.documents.some((d) => d.path?.includes('drafts'))).toBe(false);
    // Both see exactly the same files, and the sample's own files are still there.
    expect(docs.documents.map((d) => join(root, d.path!)).sort()).toEqual([...listed].sort());
    expect(listed.filter((p) => p.startsWith(dir)).length).toBe(readdirSync(dir).length);
  });
});
