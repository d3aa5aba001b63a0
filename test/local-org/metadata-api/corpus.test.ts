/**
 * Real retrieved files from public repos (../shared/omni-presence-corpus, read in place) deployed to
 * the local org as one repo's project each: what the platform accepts round-trips to identical bytes,
 * and what it rejects fails with the platform's reasons.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, startTestOrg } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { typeForFile } from '../../../scripts/metadata/registry.ts';
import { asArray, connect, deployZip, mdapiZip } from './helpers.ts';

const CORPUS = join(REPO_ROOT, '../shared/omni-presence-corpus');

/** One repo's files as an mdapi package: `<dir>/<name>.<suffix>` → content, and package.xml types. */
function repoPackage(repo: string): { files: Record<string, string>; types: Record<string, string[]> } {
  const files: Record<string, string> = {};
  const types: Record<string, string[]> = {};
  for (const entry of readdirSync(CORPUS).filter((f) => f.startsWith(`${repo}__`))) {
    const found = typeForFile(entry.slice(repo.length + 2));
    if (!found) continue;
    files[`${found.type.directoryName}/${found.fullName}.${found.type.suffix}`] = readFileSync(join(CORPUS, entry), 'utf8');
    (types[found.type.packageTypeName] ??= []).push(found.fullName);
  }
  return { files, types };
}

async function retrieveZip(org: LocalOrg, types: Record<string, string[]>): Promise<JSZip> {
  const connection = await connect(org);
  const started: any = await connection.metadata.retrieve({
    apiVersion: 66,
    singlePackage: true,
    unpackaged: { types: Object.entries(types).map(([name, members]) => ({ name, members })), version: '66.0' },
  } as never);
  for (let i = 0; i < 100; i++) {
    const result: any = await connection.metadata.checkRetrieveStatus(started.id);
    if (String(result.done) === 'true') return JSZip.loadAsync(Buffer.from(result.zipFile, 'base64'));
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('retrieve did not finish');
}

describe('corpus projects against the local org', () => {
  let org: LocalOrg | undefined;
  afterEach(async () => {
    await org?.stop();
    org = undefined;
  });

  it('peticavictor/ndax deploys into an Omni-disabled org (its OmniChannel settings enable it) and retrieves byte-identical', async () => {
    org = await startTestOrg({ omniDisabled: true });
    const { files, types } = repoPackage('peticavictor__ndax');
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(15);
    const result = await deployZip(await connect(org), await mdapiZip(files, types, { version: '66.0' }));
    expect(asArray(result.details.componentFailures)).toEqual([]);
    expect(result.status).toBe('Succeeded');
    const zip = await retrieveZip(org, types);
    for (const [path, content] of Object.entries(files)) expect(await zip.file(path)?.async('string'), path).toBe(content);
  });

  it('keeps xsi:nil settings values as nil (umar-7w4 OmniChannel.settings)', async () => {
    org = await startTestOrg({ omniDisabled: true });
    const { files } = repoPackage('umar-7w4__Salesforce---Dodge-Project');
    const settings = files['settings/OmniChannel.settings'];
    expect(settings).toContain('xsi:nil="true"');
    const result = await deployZip(await connect(org), await mdapiZip({ 'settings/OmniChannel.settings': settings }, { Settings: ['OmniChannel'] }, { version: '66.0' }));
    expect(result.status).toBe('Succeeded');
    const zip = await retrieveZip(org, { Settings: ['OmniChannel'] });
    expect(await zip.file('settings/OmniChannel.settings')!.async('string')).toBe(settings);
  });

  it('gilbertknny/KennyTrailhead with rollbackOnError=false: partial, failing for the platform reasons', async () => {
    org = await startTestOrg();
    const { files, types } = repoPackage('gilbertknny__KennyTrailhead');
    const result = await deployZip(await connect(org), await mdapiZip(files, types, { version: '66.0' }), { rollbackOnError: false });
    expect(result.status).toBe('SucceededPartial');
    const problems = Object.fromEntries(asArray(result.details.componentFailures).map((f: any) => [f.fullName, f.problem]));
    // Usernames are redacted in the corpus, so no such users exist in any org.
    expect(problems.Tier1_Agents).toBe('In field: userName - no User named redacted.user1@example.invalid found');
    // Two of its channels route Case: RelatedEntity is unique per org.
    expect(problems.caseChannel).toMatch(/^duplicate value found: RelatedEntity duplicates value on record with id: 0N9/);
    expect(problems.High_Priority).toBe('In field: queueOverflowAssignee - no Queue named Platinum_Support found');
    const deployed = asArray(result.details.componentSuccesses).filter((s: any) => s.fullName !== 'package.xml');
    expect(deployed.length).toBeGreaterThan(10);
    expect(result.numberComponentsDeployed).toBe(deployed.length);
  });
});
