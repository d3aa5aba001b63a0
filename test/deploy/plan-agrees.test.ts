/**
 * omni plan and omni deploy count the same components (issue #10, "Commands agree"): on a fresh local
 * org, and after a change to a StaticResource's bytes, what plan lists as create/update is what the
 * deploy then reports as created/changed. The org's answers (deploy report) are the local org's own.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const SOUND = 'force-app/main/default/staticresources/Omni_Chime.wav';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Item = { type: string; fullName: string; action: string; changes: Array<{ field: string }> };
type Component = { type: string; fullName: string; state: string };
const keys = (xs: Array<{ type: string; fullName: string }>) => xs.map((x) => `${x.type}:${x.fullName}`).sort();

/** A fresh local org and a copy of the sample with its spec (config/omni-channel.yaml: record settings). */
async function fresh() {
  const org = await startTestOrg();
  const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
  cleanups.push(() => org.stop(), () => p.cleanup());
  return { org, dir: p.dir };
}

describe('plan agrees with deploy', () => {
  it('on a fresh org: plan creates and updates exactly what the deploy creates and changes', async () => {
    const { org, dir } = await fresh();
    const plan = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(3);
    const items: Item[] = plan.json.result.items;
    expect(items.find((i) => i.type === 'StaticResource' && i.fullName === 'Omni_Chime')).toMatchObject({ action: 'create', file: 'force-app/main/default/staticresources/Omni_Chime.resource-meta.xml' });
    // Record settings: the counts count what the plan lists (the sample's miaw sound and transfer flags,
    // set after miaw is created).
    const records: Array<{ sobject: string; fullName: string; action: string }> = plan.json.result.recordSettings;
    const listed = records.filter((r) => r.action !== 'unchanged');
    expect(listed.map((r) => `${r.sobject}:${r.fullName}:${r.action}`)).toEqual(['PresenceUserConfig:miaw:missing']);
    const human = await omniInProcess(org, dir, ['plan']);
    expect(human.stdout).toMatch(/^~ set after create +PresenceUserConfig miaw /m);
    expect(human.stdout).toContain('; record settings: 1 to set after create, 0 to update, 0 unchanged.');
    const deploy = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(deploy.code, deploy.stdout).toBe(0);
    const components: Component[] = deploy.json.result.components;
    expect(keys(items.filter((i) => i.action === 'create'))).toEqual(keys(components.filter((c) => c.state === 'Created')));
    expect(keys(items.filter((i) => i.action === 'update'))).toEqual(keys(components.filter((c) => c.state === 'Changed')));
    expect(plan.json.result.summary.create).toBe(deploy.json.result.summary.created);
    // The built-ins the sample spells out with false flags the org holds as absent (F-62): unchanged on both sides.
    for (const k of ['ServiceChannel:sfdc_livemessage', 'Settings:OmniChannel']) expect(keys(components.filter((c) => c.state === 'Unchanged'))).toContain(k);
  });

  it('a changed sound file is an update (content) with exit 3, and the deploy then changes exactly it', async () => {
    const { org, dir } = await fresh();
    expect((await omniInProcess(org, dir, ['deploy', '--json'])).code).toBe(0);
    const clean = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.json.result.items.find((i: Item) => i.type === 'StaticResource')).toMatchObject({ fullName: 'Omni_Chime', action: 'unchanged' });

    appendFileSync(join(dir, SOUND), Buffer.from([0]));
    const plan = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(3);
    const updates = (plan.json.result.items as Item[]).filter((i) => i.action === 'update');
    expect(keys(updates)).toEqual(['StaticResource:Omni_Chime']);
    expect(updates[0].changes.map((c) => c.field)).toEqual(['content']);
    const human = await omniInProcess(org, dir, ['plan']);
    expect(human.stdout).toMatch(/^~ update +StaticResource Omni_Chime /m);

    const deploy = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(deploy.code, deploy.stdout).toBe(0);
    expect(keys((deploy.json.result.components as Component[]).filter((c) => c.state === 'Changed'))).toEqual(['StaticResource:Omni_Chime']);
    expect((await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json'])).code).toBe(0);
  });

  it('a StaticResource whose content is an expanded folder: unchanged after its deploy; one byte changed in one of its files is an update that the deploy then changes', async () => {
    const { org, dir } = await fresh();
    const folder = join(dir, 'force-app/main/default/staticresources/Omni_Sound_Pack');
    mkdirSync(join(folder, 'sounds'), { recursive: true });
    writeFileSync(join(folder, 'index.txt'), 'the pack\n');
    writeFileSync(join(folder, 'sounds', 'chime.wav'), Buffer.from([82, 73, 70, 70, 0, 1, 2, 3]));
    writeFileSync(
      join(dir, 'force-app/main/default/staticresources/Omni_Sound_Pack.resource-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Private</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n',
    );
    // The sound checks find it in the project: the spec's notification sound names it.
    const spec = join(dir, 'config/omni-channel.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('staticResource: Omni_Chime', 'staticResource: Omni_Sound_Pack'));
    const validate = await omniOffline(dir, ['validate', '--json']);
    expect(validate.json.result.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'SPEC-STATIC-RESOURCE')).toEqual([]);
    const first = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(first.code, first.stdout).toBe(3);
    expect((first.json.result.items as Item[]).find((i) => i.fullName === 'Omni_Sound_Pack')).toMatchObject({ type: 'StaticResource', action: 'create' });
    const deployed = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(deployed.code, deployed.stdout).toBe(0);
    expect(keys((deployed.json.result.components as Component[]).filter((c) => c.state === 'Created' && c.type === 'StaticResource'))).toEqual(['StaticResource:Omni_Chime', 'StaticResource:Omni_Sound_Pack']);
    // The record setting points at it (the org's own record of the resource).
    const pack = org.store.findBy('StaticResource', 'Name', 'Omni_Sound_Pack')[0];
    expect(org.store.findBy('PresenceUserConfig', 'DeveloperName', 'miaw')[0].CustomSoundId).toBe(pack.Id);

    const clean = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(clean.code, JSON.stringify((clean.json.result.items as Item[]).filter((i) => i.action !== 'unchanged'))).toBe(0);
    expect((clean.json.result.items as Item[]).find((i) => i.fullName === 'Omni_Sound_Pack')).toMatchObject({ action: 'unchanged' });
    // The deploy agrees: sending the unchanged folder again (SDR zips it anew, with new entry times) changes nothing.
    await new Promise((r) => setTimeout(r, 2100));
    const again = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect(keys((again.json.result.components as Component[]).filter((c) => c.state !== 'Unchanged'))).toEqual([]);

    appendFileSync(join(folder, 'sounds', 'chime.wav'), Buffer.from([0]));
    const plan = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(3);
    const updates = (plan.json.result.items as Item[]).filter((i) => i.action === 'update');
    expect(keys(updates)).toEqual(['StaticResource:Omni_Sound_Pack']);
    expect(updates[0].changes.map((c) => c.field)).toEqual(['content']);
    const deploy = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(deploy.code, deploy.stdout).toBe(0);
    expect(keys((deploy.json.result.components as Component[]).filter((c) => c.state === 'Changed'))).toEqual(['StaticResource:Omni_Sound_Pack']);
    expect((await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json'])).code).toBe(0);
  });

  it('a project deploy refuses (a capacity of 0: it parses, a rule refuses it) is refused by plan too, with the same findings', async () => {
    const { org, dir } = await fresh();
    const file = join(dir, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<capacity>20</capacity>', '<capacity>0</capacity>'));
    const deploy = await omniInProcess(org, dir, ['deploy', '--dry-run', '--json']);
    expect(deploy.code, deploy.stdout).toBe(1);
    expect(deploy.json.name).toBe('ValidationFailed');
    const refused = (d: { ruleId: string; file?: string; line?: number; severity: string }[]) =>
      d.filter((x) => x.severity === 'error').map((x) => `${x.ruleId} ${x.file}:${x.line}`);
    const plan = await omniInProcess(org, dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(1);
    expect(plan.json.name).toBe('ValidationFailed');
    expect(refused(plan.json.result.diagnostics)).toEqual(refused(deploy.json.result.diagnostics));
    expect(refused(plan.json.result.diagnostics)).toContainEqual(expect.stringMatching(/ force-app\/main\/default\/presenceUserConfigs\/miaw\.presenceUserConfig-meta\.xml:5$/));
  });
});
