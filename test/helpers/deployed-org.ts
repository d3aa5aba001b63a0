/**
 * Orgs that start where another one was left: the sample deployed once per worker (a deploy's SDR component set,
 * zip and the org's Metadata API work, ≈ 0.1–0.25 s of CPU), then each test gets a new org started from that
 * org's state (`initialState`, in memory: what a restart from its state file gives — records, ids, what the
 * Metadata API remembers of the deployed files). For tests whose subject comes after "the sample is deployed"
 * (retrieve, plan, a second deploy); a test of the deploy itself still deploys.
 */
import { expect } from 'vitest';
import type { LocalOrg, LocalOrgOptions } from '../../local-org/index.ts';
import { startTestOrg } from './local-org.ts';
import { omniInProcess } from './omni.ts';
import { makeProject } from './project.ts';

const prepared = new Map<string, Promise<string>>();

/**
 * A new org started from the state `prepare` left on an org of its own: `prepare` runs once per `key` in this
 * worker (the key names what it does and the options it is started with), every call starts a fresh org from
 * it. `options` go to both (seeding only to the prepared one).
 */
export async function startPreparedOrg(key: string, prepare: (org: LocalOrg) => Promise<void>, options: LocalOrgOptions = {}): Promise<LocalOrg> {
  let state = prepared.get(key);
  if (!state) {
    state = (async () => {
      const { log: _log, ...quiet } = options;
      const org = await startTestOrg(quiet);
      try {
        await prepare(org);
        return org.stateText();
      } finally {
        await org.stop();
      }
    })();
    prepared.set(key, state);
    state.catch(() => prepared.delete(key));
  }
  return startTestOrg({ ...options, initialState: await state });
}

/** A new org holding the sample project (`makeProject()`) as `omni deploy` leaves it. */
export function startDeployedSampleOrg(options: LocalOrgOptions = {}, key = 'sample deployed'): Promise<LocalOrg> {
  return startPreparedOrg(key, deploySample, options);
}

/** `omni deploy` of a fresh copy of the sample, asserted to succeed. */
export async function deploySample(org: LocalOrg): Promise<void> {
  const p = makeProject();
  try {
    const r = await omniInProcess(org, p.dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary.failed).toBe(0);
  } finally {
    p.cleanup();
  }
}
