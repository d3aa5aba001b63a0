/**
 * A real org never loses a write it acknowledged. The local org saves (fsync'd) before it answers, so a
 * kill -9 at any moment loses at most writes that were never acknowledged: a kill loop proves it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../local-org/faults.ts';
import { API_VERSION, REPO_ROOT } from '../helpers/local-org.ts';
import { NODE_TS_CACHE_IMPORT } from '../helpers/paths.ts';

const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const SERVE = path.join(import.meta.dirname, 'fixtures/serve-state.ts');

async function serve(stateFile: string): Promise<{ child: ChildProcess; instanceUrl: string; accessToken: string }> {
  const child = spawn(NODE, ['--import', NODE_TS_CACHE_IMPORT, SERVE, stateFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local org did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`local org exited (${code}): ${out}`)));
  });
  return { child, ...(JSON.parse(line) as { instanceUrl: string; accessToken: string }) };
}

async function allGroupIds(instanceUrl: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = `/services/data/v${API_VERSION}/query?q=${encodeURIComponent("SELECT Id FROM Group WHERE Type = 'Regular'")}`;
  while (next) {
    const response = await fetch(instanceUrl + next, { headers: { authorization: `Bearer ${token}` } });
    const page = (await response.json()) as { records: Array<{ Id: string }>; nextRecordsUrl?: string; done: boolean };
    for (const r of page.records) ids.add(r.Id);
    next = page.done ? undefined : page.nextRecordsUrl;
  }
  return ids;
}

describe('local org durability', () => {
  it('kill -9 at random moments during writes: every acknowledged record is there after a restart (8 trials)', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'omni-durable-')), 'state.json');
    const random = prng(20_261_129);
    const acknowledged = new Set<string>();
    let killedWithRequestsInFlight = 0;
    let batch = 0;
    for (let trial = 0; trial < 8; trial++) {
      const org = await serve(stateFile);
      const before = await allGroupIds(org.instanceUrl, org.accessToken);
      for (const id of acknowledged) expect(before.has(id), `trial ${trial}: acknowledged ${id} lost`).toBe(true);
      let stop = false;
      let inFlight = 0;
      const writer = async () => {
        while (!stop) {
          const n = batch++;
          const records = Array.from({ length: 50 }, (_, i) => ({ attributes: { type: 'Group' }, Name: `Kill ${n}-${i}`, DeveloperName: `Kill_${n}_${i}`, Type: 'Regular' }));
          inFlight++;
          try {
            const response = await fetch(`${org.instanceUrl}/services/data/v${API_VERSION}/composite/sobjects`, {
              method: 'POST',
              headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
              body: JSON.stringify({ allOrNone: true, records }),
            });
            const results = (await response.json()) as Array<{ id?: string; success: boolean }>;
            // Acknowledged: the whole answer arrived.
            if (response.ok) for (const r of results) if (r.success && r.id) acknowledged.add(r.id);
          } catch {
            return; // killed mid-request: not acknowledged
          } finally {
            inFlight--;
          }
        }
      };
      const writers = [writer(), writer()];
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 600)));
      if (inFlight > 0) killedWithRequestsInFlight++;
      org.child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      if (org.child.exitCode === null && org.child.signalCode === null) await new Promise((resolve) => org.child.once('exit', resolve));
    }
    const last = await serve(stateFile);
    try {
      const after = await allGroupIds(last.instanceUrl, last.accessToken);
      const lost = [...acknowledged].filter((id) => !after.has(id));
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(8 * 50);
      expect(killedWithRequestsInFlight).toBeGreaterThanOrEqual(4);
    } finally {
      last.child.kill('SIGKILL');
    }
  }, 240_000);
});
