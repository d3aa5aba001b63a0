/**
 * The record settings (issue: notification sound, sound length, transfer destinations) end to end against
 * the local org over HTTP: spec → omni deploy → the PresenceUserConfig record; plan field by field with
 * --detailed-exitcode; a change made in the org is restored by one PATCH (counted by the local org);
 * import --target-org reads them back; bad values stop the deploy at their YAML line. Expected values come
 * from the spec text and the org's own records, never from the code under test.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LocalOrg } from '../../local-org/server.ts';
import { authorizeSf, REPO_ROOT, makeSfHome, sfInRunner, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { omniInProcess as omni, omniOffline } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const SPEC = 'config/omni-channel.yaml';
const SOUND = 'force-app/main/default/staticresources/Omni_Chime.wav';
const SOUND_META = 'force-app/main/default/staticresources/Omni_Chime.resource-meta.xml';

/** A throwaway copy of the repository's sample project, spec included. */
const sampleProject = () => makeProject({ copy: SAMPLE_WITH_CONFIG, prefix: 'omni-records-' });

async function query(org: LocalOrg, soql: string): Promise<Array<Record<string, any>>> {
  const res = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${org.accessToken}` } });
  const body = (await res.json()) as { records: Array<Record<string, any>> };
  return body.records;
}

async function miaw(org: LocalOrg): Promise<Record<string, any>> {
  const rows = await query(
    org,
    "SELECT Id, SoundLength, CustomSoundId, CustomSound.Name, OptionsIsAllowAnyDestinationQueueForTransferEnabled, OptionsIsAllowAnyDestinationFlowForTransferEnabled, OptionsIsAllowAnyDestinationProfileForTransferEnabled FROM PresenceUserConfig WHERE DeveloperName = 'miaw'",
  );
  return rows[0];
}

async function patch(org: LocalOrg, sobject: string, id: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${org.instanceUrl}/services/data/v62.0/sobjects/${sobject}/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

/** `omni …` in-process without an org (generate, validate): exit code and the parsed --json envelope. */
async function offline(cwd: string, args: string[]): Promise<{ code: number; json: any }> {
  return omniOffline(cwd, [...args, '--json']);
}

/** 1-based line of the first line of `text` matching `pattern`. */
function lineOf(text: string, pattern: RegExp): number {
  return text.split('\n').findIndex((l) => pattern.test(l)) + 1;
}

describe('record settings: spec → deploy → org → plan → import', () => {
  let org: LocalOrg;
  let p: { dir: string; cleanup(): void };
  beforeAll(async () => {
    org = await startTestOrg();
    p = sampleProject();
  });
  afterAll(async () => {
    p?.cleanup();
    await org?.stop();
  });

  it('omni deploy sets SoundLength 5, the chime as CustomSoundId and the transfer flags of the spec, in one PATCH', async () => {
    org.resetStats();
    const d = await omni(org, p.dir, ['deploy', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    // The chime went in with the metadata: its record, with the committed file's size.
    const [resource] = await query(org, "SELECT Id, Name, ContentType, BodyLength FROM StaticResource WHERE Name = 'Omni_Chime'");
    expect(resource).toMatchObject({ Name: 'Omni_Chime', ContentType: 'audio/wav', BodyLength: statSync(join(REPO_ROOT, SOUND)).size });
    const record = await miaw(org);
    expect(record).toMatchObject({
      SoundLength: 5,
      CustomSoundId: resource.Id,
      CustomSound: { Name: 'Omni_Chime' },
      // The spec: queues: selected, flows: selected, profiles: any.
      OptionsIsAllowAnyDestinationQueueForTransferEnabled: false,
      OptionsIsAllowAnyDestinationFlowForTransferEnabled: false,
      OptionsIsAllowAnyDestinationProfileForTransferEnabled: true,
    });
    expect(org.stats().byMethod.PATCH).toBe(1);
    const rs = d.json.result.recordSettings;
    expect(rs).toMatchObject({ summary: { updated: 1, failed: 0 }, requests: 1 });
    expect(rs.records[0].changes).toContainEqual({ field: 'SoundLength', old: null, new: 5 });
    expect(rs.records[0].changes).toContainEqual({ field: 'CustomSoundId', old: null, new: 'Omni_Chime' });
    // Journalled before the write, private.
    const journal = join(p.dir, rs.journal);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(journal, 'utf8'))).toMatchObject({ status: 'completed', records: [{ fullName: 'miaw', id: record.Id, prior: { SoundLength: null }, target: { SoundLength: 5 }, status: 'done' }] });
  });

  it('omni plan --detailed-exitcode then exits 0, and says in one line that selected destinations are chosen in Setup', async () => {
    const plan = await omni(org, p.dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.result.hasChanges).toBe(false);
    expect(plan.json.result.recordSettings).toEqual([expect.objectContaining({ sobject: 'PresenceUserConfig', fullName: 'miaw', action: 'unchanged', changes: [] })]);
    const human = await omni(org, p.dir, ['plan']);
    const notes = human.stdout.split('\n').filter((l) => l.includes('Setup → Presence Configurations → miaw'));
    // One line for miaw's "selected" queues and flows (profiles is "any").
    expect(notes).toEqual(['Note: miaw: the selected queues and flows for transfers are chosen in Setup (Setup → Presence Configurations → miaw); no API sets that list.']);
  });

  it('a PATCH made in the org makes plan exit 3 naming old → new; the next deploy restores it with one PATCH', async () => {
    const record = await miaw(org);
    expect((await patch(org, 'PresenceUserConfig', record.Id, { SoundLength: 12 })).status).toBe(204);
    const plan = await omni(org, p.dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(3);
    expect(plan.json.result.recordSettings[0]).toMatchObject({ fullName: 'miaw', action: 'update', changes: [{ field: 'SoundLength', old: 12, new: 5 }] });
    const human = await omni(org, p.dir, ['plan']);
    expect(human.stdout).toContain('SoundLength: 12 → 5');
    expect(human.stdout).toMatch(new RegExp(`PresenceUserConfig miaw  config/omni-channel\\.yaml:${lineOf(readFileSync(join(p.dir, SPEC), 'utf8'), /^\s+notificationSound:/)}`));

    // --dry-run shows what the stage would write and writes nothing.
    org.resetStats();
    const dry = await omni(org, p.dir, ['deploy', '--dry-run', '--json']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.json.result.recordSettings).toMatchObject({ dryRun: true, requests: 0, journal: null, records: [{ action: 'update', changes: [{ field: 'SoundLength', old: 12, new: 5 }] }] });
    expect(org.stats().byMethod.PATCH ?? 0).toBe(0);
    expect((await miaw(org)).SoundLength).toBe(12);

    org.resetStats();
    const d = await omni(org, p.dir, ['deploy', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(org.stats().byMethod.PATCH).toBe(1);
    expect((await miaw(org)).SoundLength).toBe(5);
    expect(d.json.result.recordSettings.records[0].changes).toEqual([{ field: 'SoundLength', old: 12, new: 5 }]);
    expect(JSON.parse(readFileSync(join(p.dir, d.json.result.recordSettings.journal), 'utf8')).records[0].prior).toEqual({ SoundLength: 12 });
  });

  it('nothing differs: the next deploy makes no PATCH call at all', async () => {
    org.resetStats();
    const d = await omni(org, p.dir, ['deploy', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(org.stats().byMethod.PATCH ?? 0).toBe(0);
    expect(d.json.result.recordSettings).toMatchObject({ requests: 0, journal: null, summary: { updated: 0, unchanged: 1 } });
    // What only Setup can set is a warning in --json as in the text output, where it is printed once.
    const note = 'miaw: the selected queues and flows for transfers are chosen in Setup (Setup → Presence Configurations → miaw); no API sets that list.';
    expect(d.json.warnings).toContain(note);
    const human = await omni(org, p.dir, ['deploy']);
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect((human.stdout + human.stderr).split(note).length - 1).toBe(1);
    expect(human.stderr).toContain(`Warning: ${note}`);
  });

  it('omni import --source-dir force-app --target-org ORG writes notificationSound and transferDestinations back (spec → org → spec)', async () => {
    const out = join(p.dir, 'config/imported.yaml');
    const r = await omni(org, p.dir, ['import', '--source-dir', 'force-app', '--out', 'config/imported.yaml', '--target-org', 'ignored-with-instance-url', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // miaw's two keys; the other configurations allow any destination and play the default sound.
    expect(r.json.result.recordSettings).toEqual({ from: 'org', keys: 2 });
    const imported = parse(readFileSync(out, 'utf8'));
    const original = parse(readFileSync(join(p.dir, SPEC), 'utf8'));
    expect(imported.presenceConfigurations.miaw.notificationSound).toEqual({ staticResource: 'Omni_Chime', seconds: 5 });
    expect(imported.presenceConfigurations.miaw.transferDestinations).toEqual({ queues: 'selected', flows: 'selected', profiles: 'any' });
    // Lossless for the record settings: every configuration and channel has exactly the spec's keys
    // (import drops other keys that equal their defaults, which the sample spells out).
    const recordKeys = (section: Record<string, any>) =>
      Object.fromEntries(Object.entries(section).map(([name, e]) => [name, { notificationSound: e.notificationSound, transferDestinations: e.transferDestinations }]));
    expect(recordKeys(imported.presenceConfigurations)).toEqual(recordKeys(original.presenceConfigurations));
    expect(recordKeys(imported.channels)).toEqual(recordKeys(original.channels));
  });

  it('deploy --source-dir of other components leaves the record settings alone; doctor reports drift with the Setup line', async () => {
    const record = await miaw(org);
    expect((await patch(org, 'PresenceUserConfig', record.Id, { SoundLength: 9 })).status).toBe(204);
    org.resetStats();
    const d = await omni(org, p.dir, ['deploy', '--source-dir', 'force-app/main/default/settings', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(org.stats().byMethod.PATCH ?? 0).toBe(0);
    expect((await miaw(org)).SoundLength).toBe(9);
    const doctor = await omni(org, p.dir, ['doctor', '--json']);
    const check = doctor.json.result.checks.find((c: { id: string }) => c.id === 'record-settings');
    expect(check).toMatchObject({ status: 'fail', repairedBySetup: 'deploy' });
    expect(check.message).toMatch(/^1 record differs from the spec: miaw \(SoundLength: 9 → 5/);
    expect(check.message).toContain('chosen in Setup (Setup → Presence Configurations → miaw)');
    expect((await omni(org, p.dir, ['deploy', '--json'])).code).toBe(0);
    expect((await omni(org, p.dir, ['doctor', '--json'])).json.result.checks.find((c: { id: string }) => c.id === 'record-settings').status).toBe('ok');
  });

  it('a channel notificationSound sets DoesOverridePresenceAudio; a record the org lacks fails alone (exit 68) and a re-run retries it', async () => {
    const specFile = join(p.dir, SPEC);
    const spec = readFileSync(specFile, 'utf8');
    // The spec names a channel whose XML is not in force-app yet: its record cannot be set.
    const withChannel = spec.replace(
      /\nstatuses:/,
      '\n  Chat_Channel:\n    label: Chat Channel\n    relatedEntityType: Lead\n    notificationSound:\n      staticResource: Omni_Chime\n      seconds: 3\n\nstatuses:',
    );
    writeFileSync(specFile, withChannel);
    try {
      const d = await omni(org, p.dir, ['deploy', '--json']);
      expect(d.code, d.stdout + d.stderr).toBe(68);
      expect(d.json.result.recordSettings.failures).toEqual([
        expect.objectContaining({ sobject: 'ServiceChannel', fullName: 'Chat_Channel', errorCode: 'NOT_FOUND', file: SPEC, line: lineOf(withChannel, /^ {4}notificationSound:/) }),
      ]);
      // generate writes the channel's XML; the next deploy creates it and sets the override.
      expect((await offline(p.dir, ['generate'])).code).toBe(0);
      const again = await omni(org, p.dir, ['deploy', '--json']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      const [channel] = await query(org, "SELECT DoesOverridePresenceAudio, SoundLength, CustomSound.Name FROM ServiceChannel WHERE DeveloperName = 'Chat_Channel'");
      expect(channel).toMatchObject({ DoesOverridePresenceAudio: true, SoundLength: 3, CustomSound: { Name: 'Omni_Chime' } });
      // notificationSound: false turns the override off again, in one PATCH.
      writeFileSync(specFile, withChannel.replace('    notificationSound:\n      staticResource: Omni_Chime\n      seconds: 3\n', '    notificationSound: false\n'));
      org.resetStats();
      const off = await omni(org, p.dir, ['deploy', '--json']);
      expect(off.code, off.stdout + off.stderr).toBe(0);
      expect(org.stats().byMethod.PATCH).toBe(1);
      expect(off.json.result.recordSettings.records.find((r: { fullName: string }) => r.fullName === 'Chat_Channel').changes).toEqual([{ field: 'DoesOverridePresenceAudio', old: true, new: false }]);
      const [after] = await query(org, "SELECT DoesOverridePresenceAudio FROM ServiceChannel WHERE DeveloperName = 'Chat_Channel'");
      expect(after.DoesOverridePresenceAudio).toBe(false);
    } finally {
      writeFileSync(specFile, spec);
    }
  });
});

describe('record settings after an --async deploy', () => {
  it('deploy --async says they wait for the deploy; deploy resume sets them when it has finished', async () => {
    const org = await startTestOrg();
    const p = sampleProject();
    try {
      const started = await omni(org, p.dir, ['deploy', '--async', '--json']);
      expect(started.code, started.stdout + started.stderr).toBe(0);
      // Named as the omni bin runs it (under sf: "sf omni deploy resume …", test/sf-plugin/link.test.ts).
      expect(started.json.warnings.join('\n')).toContain(`run "omni deploy resume ${started.json.result.id}"`);
      const resumed = await omni(org, p.dir, ['deploy', 'resume', '--json']);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(resumed.json.result.recordSettings).toMatchObject({ summary: { updated: 1, failed: 0 }, requests: 1 });
      expect(await miaw(org)).toMatchObject({ SoundLength: 5, CustomSound: { Name: 'Omni_Chime' } });
    } finally {
      p.cleanup();
      await org.stop();
    }
  });
});

describe('record settings: bad values stop the deploy at their YAML line, nothing deployed', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startTestOrg();
  });
  afterAll(async () => org?.stop());

  it('a 31-second sound is an error at its line: exit 1, no request reaches the Metadata API', async () => {
    const p = sampleProject();
    try {
      const specFile = join(p.dir, SPEC);
      const spec = readFileSync(specFile, 'utf8').replace('      seconds: 5', '      seconds: 31');
      writeFileSync(specFile, spec);
      org.resetStats();
      const d = await omni(org, p.dir, ['deploy', '--json']);
      expect(d.code).toBe(1);
      expect(d.json.name).toBe('ValidationFailed');
      expect(d.json.message).toContain(`config/omni-channel.yaml:${lineOf(spec, /^ {6}seconds: 31/)}:`);
      expect(org.stats().total).toBe(0);
      expect(await query(org, "SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'miaw'")).toEqual([]);
    } finally {
      p.cleanup();
    }
  });

  it('a static resource neither in the project nor in the org is an error at its line: exit 1, nothing deployed', async () => {
    const p = sampleProject();
    try {
      const specFile = join(p.dir, SPEC);
      const spec = readFileSync(specFile, 'utf8').replace('staticResource: Omni_Chime', 'staticResource: No_Such_Sound');
      writeFileSync(specFile, spec);
      org.resetStats();
      const d = await omni(org, p.dir, ['deploy', '--json']);
      expect(d.code).toBe(1);
      expect(d.json.name).toBe('OrgCheckFailed');
      expect(d.json.message).toContain(`config/omni-channel.yaml:${lineOf(spec, /staticResource: No_Such_Sound/)}:`);
      expect(d.json.message).toContain('StaticResource "No_Such_Sound"');
      expect(org.stats().byEndpoint.soap ?? 0).toBe(0);
      expect(await query(org, "SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'miaw'")).toEqual([]);
      // Offline, validate says the same name is not in the project (deploy checks the org).
      const v = await offline(p.dir, ['validate']);
      expect(v.json.result.diagnostics).toContainEqual(
        expect.objectContaining({ ruleId: 'SPEC-STATIC-RESOURCE', severity: 'info', file: SPEC, line: lineOf(spec, /staticResource: No_Such_Sound/) }),
      );
    } finally {
      p.cleanup();
    }
  });
});

describe('the local org: StaticResource deploy/retrieve, the record fields and their validation', () => {
  let org: LocalOrg;
  let home: SfHome;
  let p: { dir: string; cleanup(): void };
  beforeAll(async () => {
    org = await startTestOrg();
    home = makeSfHome();
    p = sampleProject();
    await authorizeSf(home, org, 'rs');
  });
  afterAll(async () => {
    p?.cleanup();
    home?.cleanup();
    await org?.stop();
  });

  it('[F-53] sf project deploy/retrieve a StaticResource: the bytes come back identical', async () => {
    // The sf CLI's own deploy and retrieve, in the worker's sf runner (test/helpers/sf-runner.ts): the bytes through
    // SDR and the local org are the subject, not sf as a process.
    const deploy = await sfInRunner(home, ['project', 'deploy', 'start', '--source-dir', 'force-app/main/default/staticresources', '--target-org', 'rs', '--json'], {}, p.dir);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    rmSync(join(p.dir, 'force-app/main/default/staticresources'), { recursive: true });
    const retrieve = await sfInRunner(home, ['project', 'retrieve', 'start', '--metadata', 'StaticResource:Omni_Chime', '--target-org', 'rs', '--json'], {}, p.dir);
    expect(retrieve.code, retrieve.stdout + retrieve.stderr).toBe(0);
    expect(readFileSync(join(p.dir, SOUND))).toEqual(readFileSync(join(REPO_ROOT, SOUND)));
    expect(existsSync(join(p.dir, SOUND_META))).toBe(true);
    expect(readFileSync(join(p.dir, SOUND_META), 'utf8')).toContain('<contentType>audio/wav</contentType>');
  }, 120_000);

  it('[F-49][F-51] SoundLength outside 1–30 and a CustomSoundId that is not a StaticResource are FIELD_INTEGRITY_EXCEPTION', async () => {
    const [channel] = await query(org, "SELECT Id FROM ServiceChannel WHERE DeveloperName = 'sfdc_livemessage'");
    for (const bad of [0, 31]) {
      const r = await patch(org, 'ServiceChannel', channel.Id, { SoundLength: bad });
      expect(r.status).toBe(400);
      expect(r.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['SoundLength'] });
    }
    expect((await patch(org, 'ServiceChannel', channel.Id, { SoundLength: 30, DoesOverridePresenceAudio: true })).status).toBe(204);
    const [user] = await query(org, 'SELECT Id FROM User LIMIT 1');
    const wrong = await patch(org, 'ServiceChannel', channel.Id, { CustomSoundId: user.Id });
    expect(wrong.status).toBe(400);
    expect(wrong.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['CustomSoundId'] });
    const [resource] = await query(org, "SELECT Id FROM StaticResource WHERE Name = 'Omni_Chime'");
    expect((await patch(org, 'ServiceChannel', channel.Id, { CustomSoundId: resource.Id })).status).toBe(204);
  });
});
