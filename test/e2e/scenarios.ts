/**
 * The end-to-end scenarios, written once and run against any org: the local org in `npm test`
 * (test/e2e/local.test.ts) and a real one in `npm run test:org` (test/e2e/org.e2e.ts). They only touch
 * components named E2E_<runid>… and one user's assignment, and put everything back at the end (assign
 * undo, then the two configurations deleted), so they can run against a shared sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../scripts/cli/run.ts';
import type { ConnectOptions } from '../../scripts/org/connection.ts';

export interface E2ETarget {
  /** e.g. ['--target-org', 'omni-scratch'] or ['--instance-url', url] (token in env.SF_ACCESS_TOKEN). */
  orgArgs: string[];
  env: NodeJS.ProcessEnv;
  /** The user whose assignment the scenarios move (and restore). */
  username: string;
}

export function configXml(label: string, capacity: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">',
    `    <capacity>${capacity}</capacity>`,
    '    <enableAutoAccept>false</enableAutoAccept>',
    '    <enableDecline>false</enableDecline>',
    '    <enableDeclineReason>false</enableDeclineReason>',
    '    <enableDisconnectSound>false</enableDisconnectSound>',
    '    <enableRequestSound>true</enableRequestSound>',
    `    <label>${label}</label>`,
    '</PresenceUserConfig>',
    '',
  ].join('\n');
}

export function defineScenarios(name: string, getTarget: () => Promise<E2ETarget>, options: { cleanup: (target: E2ETarget, configs: string[]) => Promise<void> }): void {
  describe(`end-to-end scenarios (${name})`, () => {
    const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const A = `E2E_${runId}`;
    const B = `E2E_${runId}_B`;
    let target: E2ETarget;
    let dir: string;
    const runs: string[] = [];
    let undone = false;

    const omni = async (args: string[]) => {
      let stdout = '';
      const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
      const err = { write: () => true } as unknown as NodeJS.WritableStream;
      const code = await runCli([...args, ...target.orgArgs, '--json'], { cwd: dir, env: { ...target.env, CI: 'true' }, stdout: out, stderr: err });
      return { code, json: JSON.parse(stdout), stdout };
    };
    const assignTo = (config: string) => {
      writeFileSync(join(dir, 'e2e.yaml'), `presenceConfigurations:\n  ${config}:\n    users:\n      usernames: ["${target.username}"]\n`);
      return 'e2e.yaml';
    };
    const holder = async () => {
      const r = await omni(['assign', 'plan', '--file', assignTo(A)]);
      return r.json.result.items.find((i: any) => i.kind === 'user');
    };

    beforeAll(async () => {
      target = await getTarget();
      dir = mkdtempSync(join(tmpdir(), 'omni-e2e-'));
      writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
      const configs = join(dir, 'force-app/main/default/presenceUserConfigs');
      mkdirSync(configs, { recursive: true });
      writeFileSync(join(configs, `${A}.presenceUserConfig-meta.xml`), configXml(`E2E ${runId}`, 4));
      writeFileSync(join(configs, `${B}.presenceUserConfig-meta.xml`), configXml(`E2E ${runId} B`, 6));
    });
    afterAll(async () => {
      try {
        if (!undone) for (const id of [...runs].reverse()) await omni(['assign', 'undo', id]);
      } finally {
        await options.cleanup(target, [A, B]);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('deploys two new presence configurations', async () => {
      const r = await omni(['deploy', '--source-dir', 'force-app']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.components.map((c: any) => `${c.fullName}:${c.state}`).sort()).toEqual([`${A}:Created`, `${B}:Created`].sort());
    });

    it('plan shows no changes afterwards', async () => {
      const r = await omni(['plan', '--source-dir', 'force-app', '--detailed-exitcode']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.hasChanges).toBe(false);
      expect(r.json.result.items.filter((i: any) => i.fullName.startsWith(`E2E_${runId}`)).map((i: any) => i.action)).toEqual(['unchanged', 'unchanged']);
    });

    let before: string | null = null;
    it('assigns the user to the first configuration', async () => {
      before = (await holder()).from;
      const r = await omni(['assign', 'apply', '--file', assignTo(A)]);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.summary).toMatchObject({ done: 1, failed: 0 });
      runs.push(r.json.result.runId);
      expect(await holder()).toMatchObject({ action: 'unchanged', from: A });
    });

    it('moves the user to the second configuration', async () => {
      const r = await omni(['assign', 'apply', '--file', assignTo(B)]);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.plan).toMatchObject({ move: 1 });
      runs.push(r.json.result.runId);
      expect((await holder()).from).toBe(B);
    });

    it('a re-run is a no-op: nothing to change, no writes', async () => {
      const r = await omni(['assign', 'apply', '--file', assignTo(B)]);
      expect(r.code).toBe(0);
      expect(r.json.result).toMatchObject({ status: 'unchanged', writes: 0, runId: null });
    });

    it('undo restores the state before each run', async () => {
      const second = await omni(['assign', 'undo', runs[1]]);
      expect(second.code, second.stdout).toBe(0);
      expect((await holder()).from).toBe(A);
      const first = await omni(['assign', 'undo', runs[0]]);
      expect(first.code, first.stdout).toBe(0);
      undone = true;
      expect((await holder()).from).toBe(before);
    });
  });
}

/**
 * Cleanup shared by every target: the scenarios' presence configurations removed with a destructive
 * deploy through SDR (destructiveChangesPost.xml), as an admin would, then checked gone over the Data API.
 * SDR deploys only source-backed components, so a remote-only delete is a SourceComponent without files,
 * as `sf project delete source` builds it.
 */
export async function deleteConfigurations(connect: ConnectOptions, configs: string[]): Promise<void> {
  const { connectOrg } = await import('../../scripts/org/connection.ts');
  const { soqlInList } = await import('../../scripts/org/soql.ts');
  const { ComponentSet, DestructiveChangesType, RegistryAccess, SourceComponent } = await import('@salesforce/source-deploy-retrieve');
  const session = await connectOrg(connect);
  const cs = new ComponentSet([]);
  const type = new RegistryAccess().getTypeByName('PresenceUserConfig');
  for (const name of configs) cs.add(new SourceComponent({ name, type }), DestructiveChangesType.POST);
  const deploy = await cs.deploy({ usernameOrConnection: session.connection, apiOptions: { rollbackOnError: true, singlePackage: true } });
  const result = await deploy.pollStatus(500, 600);
  if (!result.response.success) throw new Error(`Destructive deploy of ${configs.join(', ')} failed: ${JSON.stringify(result.response.details)}`);
  const deleted = [result.response.details.componentSuccesses ?? []].flat().filter((m) => m.deleted === true || m.deleted === 'true').map((m) => m.fullName);
  if (deleted.sort().join() !== [...configs].sort().join()) throw new Error(`Expected ${configs.join(', ')} deleted; the deploy deleted ${deleted.join(', ') || 'nothing'}`);
  const left = await session.connection.query(`SELECT Id FROM PresenceUserConfig WHERE DeveloperName IN ${soqlInList(configs)}`);
  if (left.totalSize) throw new Error(`E2E configurations left behind: ${configs.join(', ')}`);
}
