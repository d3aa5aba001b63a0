/**
 * Onboarding an existing org (issue #12): the small synthetic projects in test/fixtures/real-world/, each
 * modelled on a shape real retrieves have (nil settings, elements of a newer API version, queue user
 * members, a platform-created channel, mixed API versions, a Metadata API format folder), go through
 * validate, import → generate (--check clean) and a deploy/retrieve against a local org. Then the day-one
 * path: retrieve into an empty project, import, generate --check exits 0.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { LocalOrg } from '../../local-org/index.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/real-world');
const D = 'force-app/main/default';

const temps: string[] = [];
const orgs: LocalOrg[] = [];
afterAll(async () => {
  for (const org of orgs) await org.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture project in a temp folder. */
function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `omni-rw-${name}-`));
  temps.push(dir);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** `omni …` in process, offline (no org flags), with --json. */
async function omni(cwd: string, args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  return omniOffline(cwd, [...args, '--json']);
}

/** Every file below `dir` with its text, keyed by the path relative to it. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const located = (d: { ruleId: string; file?: string; line?: number; column?: number; severity: string }) => `${d.severity} ${d.ruleId} ${d.file}:${d.line}:${d.column}`;

interface Expectation {
  /** Folder import reads (default: the package directory). */
  source?: string;
  /** validate of `source` (or the project): exit code and every error/warning, located. */
  validate: { code: number; findings: string[] };
  import: { code: number; refused: string[]; warnings: RegExp[] };
  /** The files import → generate must leave byte for byte as the fixture has them. */
  unchanged: string[];
  /** Files generate rewrites, with what is gone from them. */
  rewritten?: Record<string, string[]>;
  /**
   * The deploy fails at this file:line:col: an element of a newer API version than the org speaks (the
   * local org, like an org at API 67.0, rejects it: "Element … invalid at this location").
   */
  deployFailsAt?: string;
}

const EXPECTED: Record<string, Expectation> = {
  'nil-settings': {
    validate: { code: 0, findings: [] },
    import: { code: 0, refused: [], warnings: [] },
    unchanged: [`${D}/settings/OmniChannel.settings-meta.xml`, `${D}/presenceUserConfigs/Tier1.presenceUserConfig-meta.xml`, `${D}/presenceDeclineReasons/Wrong_Queue.presenceDeclineReason-meta.xml`],
  },
  'newer-elements': {
    validate: { code: 0, findings: [`warning XML-UNKNOWN-ELEMENT ${D}/settings/OmniChannel.settings-meta.xml:8:5`] },
    import: { code: 0, refused: [], warnings: [/OmniChannel\.settings-meta\.xml:8:5: warning XML-UNKNOWN-ELEMENT: <omniAutoLoginOption> is not an element of OmniChannelSettings/] },
    unchanged: [`${D}/settings/OmniChannel.settings-meta.xml`, `${D}/presenceDeclineReasons/Break.presenceDeclineReason-meta.xml`],
    deployFailsAt: `${D}/settings/OmniChannel.settings-meta.xml:8:5`,
  },
  'queue-members': {
    validate: { code: 0, findings: [] },
    import: { code: 0, refused: [], warnings: [] },
    unchanged: [`${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml`, `${D}/queueRoutingConfigs/Cases_Routing.queueRoutingConfig-meta.xml`],
    rewritten: { [`${D}/queues/Support_Cases.queue-meta.xml`]: ['<user>agent01@omni.local</user>', '<user>agent02@omni.local</user>', '<queueMembers>'] },
  },
  'platform-channels': {
    validate: { code: 1, findings: [`error XML-REQUIRED ${D}/serviceChannels/sfdc_sos.serviceChannel-meta.xml:4:5`] },
    import: { code: 68, refused: [`${D}/serviceChannels/sfdc_sos.serviceChannel-meta.xml:4:5 XML-REQUIRED`], warnings: [/^not imported: .*sfdc_sos\.serviceChannel-meta\.xml:4:5: error XML-REQUIRED/] },
    unchanged: [`${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml`, `${D}/servicePresenceStatuses/Online.servicePresenceStatus-meta.xml`],
  },
  'mixed-api': {
    validate: {
      code: 1,
      findings: [
        `error API-VERSION-ELEMENT ${D}/presenceUserConfigs/Tier1.presenceUserConfig-meta.xml:11:5`,
        `error API-VERSION-ELEMENT ${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml:3:5`,
        `error API-VERSION-ELEMENT ${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml:9:5`,
        `error API-VERSION-ELEMENT ${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml:13:5`,
      ],
    },
    import: {
      code: 0,
      refused: [],
      warnings: [
        /Tier1\.presenceUserConfig-meta\.xml: <userDisplayName> needs API 64\.0, but the project's API version is 62\.0; "agentDisplayName" was not imported/,
        /Case_Channel\.serviceChannel-meta\.xml: <capacityModel> needs API 65\.0, but the project's API version is 62\.0; "capacityModel" was not imported/,
        /Case_Channel\.serviceChannel-meta\.xml: <statusField> needs API 65\.0/,
        /Case_Channel\.serviceChannel-meta\.xml: <serviceChannelStatusFieldMappings> needs API 65\.0/,
      ],
    },
    unchanged: [`${D}/presenceUserConfigs/Tier2.presenceUserConfig-meta.xml`],
    rewritten: {
      [`${D}/presenceUserConfigs/Tier1.presenceUserConfig-meta.xml`]: ['<userDisplayName>'],
      [`${D}/serviceChannels/Case_Channel.serviceChannel-meta.xml`]: ['<capacityModel>', '<statusField>', '<serviceChannelStatusFieldMappings>'],
    },
  },
  mdapi: {
    source: 'src',
    validate: { code: 0, findings: [] },
    import: { code: 0, refused: [], warnings: [] },
    unchanged: [],
  },
};

describe('real-world shapes: validate, import → generate, deploy/retrieve (local org)', () => {
  it('covers every fixture project', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const dir = copyFixture(name);
      const before = tree(dir);

      const validate = await omni(dir, ['validate', ...(expected.source ? [expected.source] : [])]);
      expect(validate.code, validate.stderr).toBe(expected.validate.code);
      const findings = validate.json.result.diagnostics.filter((d: { severity: string }) => d.severity !== 'info').map(located);
      expect(findings.sort()).toEqual([...expected.validate.findings].sort());
      expect(validate.json.result.summary.filesChecked).toBeGreaterThan(0);

      const imported = await omni(dir, ['import', '--extract-assignments', 'config/assignments/org.yaml', ...(expected.source ? ['--source-dir', expected.source] : [])]);
      expect(imported.code, imported.stderr).toBe(expected.import.code);
      expect(imported.json.result.refused.map((r: { file: string; line: number; column: number; ruleId: string }) => `${r.file}:${r.line}:${r.column} ${r.ruleId}`)).toEqual(expected.import.refused);
      for (const warning of expected.import.warnings) expect(imported.json.warnings, String(warning)).toContainEqual(expect.stringMatching(warning));

      const generated = await omni(dir, ['generate', '--prune']);
      expect(generated.code, generated.stderr).toBe(0);
      const check = await omni(dir, ['generate', '--check']);
      expect(check.code, check.stderr).toBe(0);
      const after = tree(dir);
      for (const file of expected.unchanged) expect(after[file], file).toBe(before[file]);
      for (const [file, gone] of Object.entries(expected.rewritten ?? {})) {
        for (const text of gone) {
          expect(before[file], file).toContain(text);
          expect(after[file], file).not.toContain(text);
        }
      }
      // No username stays in source: the queue members went to the assignment file.
      expect(Object.entries(after).filter(([f, text]) => f.startsWith('force-app/') && /@omni\.local/.test(text)).map(([f]) => f)).toEqual([]);
      const revalidated = await omni(dir, ['validate']);
      expect(revalidated.code, JSON.stringify(revalidated.json?.result?.diagnostics)).toBe(0);

      const org = await startTestOrg();
      orgs.push(org);
      const deployed = await omniInProcess(org, dir, ['deploy', '--json']);
      if (expected.deployFailsAt) {
        expect(deployed.code).toBe(1);
        const failed = deployed.json.result.components.filter((c: { state: string }) => c.state === 'Failed');
        expect(failed.map((c: { file: string; line: number; column: number }) => `${c.file}:${c.line}:${c.column}`)).toEqual([expected.deployFailsAt]);
        expect(failed[0].problem).toMatch(/omniAutoLoginOption invalid at this location/);
        return;
      }
      expect(deployed.code, deployed.stdout).toBe(0);
      const retrieved = await omniInProcess(org, dir, ['retrieve', '--json']);
      expect(retrieved.code, retrieved.stdout).toBe(0);
      expect(retrieved.json.result.summary.created + retrieved.json.result.summary.updated, JSON.stringify(retrieved.json.result.files)).toBe(0);
    });
  }

  it('queue members: import --extract-assignments puts them into the queues: section of the assignment file', async () => {
    const dir = copyFixture('queue-members');
    expect((await omni(dir, ['import', '--extract-assignments', 'config/assignments/org.yaml'])).code).toBe(0);
    const file = parseYaml(readFileSync(path.join(dir, 'config/assignments/org.yaml'), 'utf8'));
    expect(file.queues).toEqual({ Support_Cases: { users: { usernames: ['agent01@omni.local', 'agent02@omni.local'] } } });
    expect(statSync(path.join(dir, 'config/assignments/org.yaml')).mode & 0o777).toBe(0o600);
  });

  it('queue members: omni plan does not show the org-held user members going to "(none)" once they moved to the assignment file', async () => {
    const dir = copyFixture('queue-members');
    const org = await startTestOrg();
    orgs.push(org);
    expect((await omniInProcess(org, dir, ['deploy', '--json'])).code).toBe(0);
    expect((await omni(dir, ['import', '--extract-assignments', 'config/assignments/org.yaml'])).code).toBe(0);
    expect((await omni(dir, ['generate'])).code).toBe(0);
    const plan = await omniInProcess(org, dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const queue = plan.json.result.items.find((i: { type: string; fullName: string }) => i.type === 'Queue' && i.fullName === 'Support_Cases');
    expect(queue).toMatchObject({ action: 'unchanged', changes: [] });
    const human = await omniInProcess(org, dir, ['plan']);
    expect(human.stdout).not.toContain('(none)');
  });
});

describe('day one: retrieve into an empty project → import → generate --check', () => {
  it('brings the queues and the Omni-Channel settings, and the new CI gate is green', async () => {
    const org = await startTestOrg();
    orgs.push(org);
    // The org's existing setup: nil settings, a routed queue with user members, a configuration.
    for (const fixture of ['nil-settings', 'queue-members']) {
      const source = copyFixture(fixture);
      const r = await omniInProcess(org, source, ['deploy', '--json']);
      expect(r.code, r.stdout).toBe(0);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-rw-empty-'));
    temps.push(dir);
    writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    mkdirSync(path.join(dir, 'force-app'));

    const retrieved = await omniInProcess(org, dir, ['retrieve', '--extract-assignments', 'config/assignments/org.yaml', '--json']);
    expect(retrieved.code, retrieved.stdout).toBe(0);
    const types = new Set(retrieved.json.result.files.map((f: { type: string }) => f.type));
    expect(types.has('Queue')).toBe(true);
    expect(types.has('OmniChannelSettings')).toBe(true);
    const files = retrieved.json.result.files.map((f: { type: string; fullName: string }) => `${f.type}:${f.fullName}`);
    expect(files).toContain('Queue:Support_Cases');
    // The seeded Support_Queue has no routing configuration: not part of the Omni setup.
    expect(files).not.toContain('Queue:Support_Queue');
    expect(retrieved.json.result.messages).toContainEqual(expect.stringContaining('Support_Queue'));
    const assignments = parseYaml(readFileSync(path.join(dir, 'config/assignments/org.yaml'), 'utf8'));
    expect(assignments.queues.Support_Cases.users.usernames).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    expect(readFileSync(path.join(dir, D, 'queues/Support_Cases.queue-meta.xml'), 'utf8')).not.toContain('<user>');

    const imported = await omni(dir, ['import']);
    expect(imported.code, imported.stderr).toBe(0);
    const check = await omni(dir, ['generate', '--check']);
    expect(check.code, JSON.stringify(check.json)).toBe(0);
  });
});
