/**
 * The doctor checks doctor.test.ts does not drive: API version, org type, skills routing / status-based
 * capacity, and daily API requests — each seen failing (or warning) and passing against a local org.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestOrg } from '../helpers/local-org.ts';
import { check, omni, stage } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const DEFAULT = 'force-app/main/default';
const SETTINGS = `${DEFAULT}/settings/OmniChannel.settings-meta.xml`;

let project: ReturnType<typeof makeProject>;
beforeAll(() => {
  project = makeProject({ copy: SAMPLE_WITH_CONFIG });
});
afterAll(() => project?.cleanup());

/** Rewrites a project file for the duration of `body`, then puts the original back. */
async function withFile<T>(relative: string, edit: (text: string) => string, body: () => Promise<T>): Promise<T> {
  const file = join(project.dir, relative);
  const original = readFileSync(file, 'utf8');
  const edited = edit(original);
  expect(edited, `the edit of ${relative} changed nothing`).not.toBe(original);
  writeFileSync(file, edited);
  try {
    return await body();
  } finally {
    writeFileSync(file, original);
  }
}

describe('doctor: API reachable and its version ≥ sourceApiVersion', () => {
  it('fails naming both versions when the project needs a newer API than the org serves (exit 1); setup stops at doctor', async () => {
    const org = await startTestOrg({});
    try {
      const ok = await omni(org, project.dir, ['doctor', '--json']);
      expect(check(ok, 'api-version')).toMatchObject({ status: 'ok', details: { maxApiVersion: 67, sourceApiVersion: 66 } });
      await withFile('sfdx-project.json', (t) => t.replace(/"sourceApiVersion":\s*"66\.0"/, '"sourceApiVersion": "68.0"'), async () => {
        const r = await omni(org, project.dir, ['doctor', '--json']);
        expect(r.code).toBe(1);
        const c = check(r, 'api-version');
        expect(c).toMatchObject({ status: 'fail', details: { maxApiVersion: 67, sourceApiVersion: 68 } });
        // The catalogue's ApiVersionNotServed, as every org command reports a version the org does not serve.
        expect(c.message).toBe(`The org "${new URL(org.instanceUrl).host}" serves API versions ${org.apiVersions.min} to ${org.apiVersions.max}; the project's sourceApiVersion (sfdx-project.json) is 68.0.`);
        expect(c.details.error).toBe('ApiVersionNotServed');
        expect(c.fix).toContain('"sourceApiVersion": "67.0"');
        expect(c.repairedBySetup).toBeUndefined();
        // Setup cannot repair it: it stops at its first stage and writes nothing.
        const s = await omni(org, project.dir, ['setup', '--json']);
        expect(s.code).toBe(1);
        expect(stage(s, 'doctor').status).toBe('failed');
        expect(stage(s, 'doctor').summary).toContain("sourceApiVersion (sfdx-project.json) is 68.0");
        for (const name of ['validate', 'deploy', 'record-settings', 'assign', 'grant', 'verify']) expect(stage(s, name).status).toBe('skipped');
        expect(org.stats().writes).toBe(0);
      });
    } finally {
      await org.stop();
    }
  });
});

describe('doctor: org type', () => {
  it('production warns (changes need a yes or --no-prompt); scratch is ok with its expiry; developer is ok', async () => {
    const expected: Array<['production' | 'scratch' | 'developer', string, RegExp]> = [
      ['production', 'warn', /is a production org .*changes need a yes on a terminal or --no-prompt\./],
      ['scratch', 'ok', /is a scratch org .*; expires in \d+ days?\./],
      ['developer', 'ok', /is a developer org \(Developer Edition\)\.$/],
    ];
    for (const [orgType, status, message] of expected) {
      const org = await startTestOrg({ orgType });
      try {
        const r = await omni(org, project.dir, ['doctor', '--json']);
        const c = check(r, 'org-type');
        expect(c, orgType).toMatchObject({ status, details: { orgType } });
        expect(c.message).toMatch(message);
      } finally {
        await org.stop();
      }
    }
  });
});

describe('doctor: skills routing and status-based capacity when the source uses them', () => {
  // The local org starts with every OmniChannelSettings flag but enableOmniChannel off, as a new org.
  const useBoth = (body: () => Promise<void>) =>
    withFile(`${DEFAULT}/queueRoutingConfigs/Case_Routing.queueRoutingConfig-meta.xml`, (t) => t.replace('    <routingPriority>', '    <skills>\n        <skill>Spanish</skill>\n    </skills>\n    <routingPriority>'), () =>
      withFile(`${DEFAULT}/serviceChannels/Case_Channel.serviceChannel-meta.xml`, (t) => t.replace('    <label>', '    <capacityModel>STATUS_BASED</capacityModel>\n    <label>'), body),
    );

  it('fails naming each setting that is off; a project that turns them on makes it a deploy repair; after the deploy it passes', async () => {
    const org = await startTestOrg({});
    try {
      const plain = await omni(org, project.dir, ['doctor', '--json']);
      expect(check(plain, 'omni-features')).toMatchObject({ status: 'ok', message: 'The source uses neither skills nor status-based capacity.' });
      await useBoth(async () => {
        const off = await omni(org, project.dir, ['doctor', '--json']);
        expect(off.code).toBe(1);
        const c = check(off, 'omni-features');
        expect(c.status).toBe('fail');
        expect(c.message).toBe('Off in the org: enableOmniSkillsRouting (routing configurations list skills); enableOmniStatusCapModel (the source uses status-based capacity).');
        expect(c.fix).toContain('<enableOmniSkillsRouting>true</enableOmniSkillsRouting> and <enableOmniStatusCapModel>true</enableOmniStatusCapModel>');
        expect(c.repairedBySetup).toBeUndefined();

        await withFile(SETTINGS, (t) => t.replace('</OmniChannelSettings>', '    <enableOmniSkillsRouting>true</enableOmniSkillsRouting>\n    <enableOmniStatusCapModel>true</enableOmniStatusCapModel>\n</OmniChannelSettings>'), async () => {
          const pending = await omni(org, project.dir, ['doctor', '--json']);
          expect(check(pending, 'omni-features')).toMatchObject({ status: 'fail', repairedBySetup: 'deploy' });
          expect(check(pending, 'omni-features').fix).toContain('omni setup');
          const d = await omni(org, project.dir, ['deploy', '--source-dir', `${DEFAULT}/settings`, '--json']);
          expect(d.code, d.stdout).toBe(0);
          const on = await omni(org, project.dir, ['doctor', '--json']);
          expect(check(on, 'omni-features')).toMatchObject({ status: 'ok', message: 'enableOmniSkillsRouting and enableOmniStatusCapModel on, as the source needs.' });
        });
      });
    } finally {
      await org.stop();
    }
  });
});

describe('doctor: daily API requests left versus what a setup spends', () => {
  it('ok with the day untouched, warn under 10 % left, fail (exit 1) below the estimate', async () => {
    // The org's daily budget is set at start (LocalOrgOptions.dailyApiRequests) instead of spending it.
    const run = async (remaining?: number) => {
      const org = await startTestOrg(remaining === undefined ? {} : { dailyApiRequests: { remaining } });
      try {
        return await omni(org, project.dir, ['doctor', '--json']);
      } finally {
        await org.stop();
      }
    };
    const fresh = await run();
    const ok = check(fresh, 'api-limits');
    expect(ok.status).toBe('ok');
    expect(ok.details.max).toBe(15_000);
    expect(ok.details.remaining).toBeGreaterThan(14_900);
    const estimate = ok.details.estimate as number;
    expect(estimate).toBeGreaterThan(60);

    const low = await run(1_200);
    const warn = check(low, 'api-limits');
    expect(warn.status).toBe('warn');
    expect(warn.details.remaining).toBeLessThan(1_500);
    expect(warn.details.remaining).toBeGreaterThanOrEqual(estimate);
    expect(warn.message).toMatch(/^[\d,]+ of 15,000 left today; a setup run needs about \d+ \(\d+ components, \d+ agents?\)\.$/);

    const out = await run(estimate - 20);
    expect(out.code).toBe(1);
    const fail = check(out, 'api-limits');
    expect(fail.status).toBe('fail');
    expect(fail.details.remaining).toBeLessThan(fail.details.estimate);
    expect(fail.fix).toContain('24-hour window');
  });
});
