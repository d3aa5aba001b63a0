/**
 * `omni deploy` stopped by a signal, as a real process (the process boundary is what is under test) against
 * a local org behind a proxy that sees the wire and holds the request at which the signal is sent (so the
 * signal lands while that request is in flight, as on a slow org): SIGINT once the org has the deploy request →
 * exit 130, the deployment's id with `omni deploy report`/`deploy resume`, the id in last.json, the record
 * settings named as not set, and `omni deploy report <id>` then reports that deployment; SIGTERM while it
 * polls → exit 143, the id; SIGINT while the record settings are written → 130, what is left; SIGTERM before the
 * deploy request → exit 143, "nothing was sent", and the org never saw a deploy call.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { DEPLOY_TIMING, finishDeploymentsNow } from '../../local-org/metadata-api/deploy.ts';
import { watchRun } from '../assign/cli-org.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { OMNI_BIN } from '../helpers/paths.ts';
import { makeProject, SAMPLE_WITH_CONFIG, type TempProject } from '../helpers/project.ts';
import { proxy } from '../helpers/proxy.ts';

/** The Metadata API's deploy call (SOAP body element `deploy`), not checkDeployStatus. */
const isDeployCall = (body: Buffer) => /<(\w+:)?deploy[\s>]/.test(body.toString('utf8'));
/** A read the deploy makes before any write: the org checks' queries (REST or Composite). */
const isQuery = (url: string | undefined) => /\/(query|composite)/.test(url ?? '');
/** How long the proxy holds the request at which the signal is sent: the run is still waiting on it when the signal lands. */
const HOLD_MS = 400;
/**
 * A deployment the org keeps InProgress until the test ends it (finishDeploymentsNow): the signal lands while it
 * runs, and the test does not wait out a clock to see it finish.
 */
const UNTIL_FINISHED_MS = 600_000;

let org: LocalOrg;
const servers: Server[] = [];
const projects: TempProject[] = [];
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  for (const p of projects) p.cleanup();
  await org?.stop();
});

/** `omni deploy` as a process through a proxy; `when` picks the request at which `signal` is sent. */
async function deployStopped(signal: NodeJS.Signals, when: (url: string | undefined, body: Buffer) => boolean, extra: string[] = []) {
  const p = makeProject({ copy: SAMPLE_WITH_CONFIG, prefix: 'omni-deploy-int-' });
  projects.push(p);
  return stopped(p.dir, ['deploy', '--no-prompt', ...extra], signal, when);
}

/** `omni <args>` as a process in `dir` through a proxy; `when` picks the request at which `signal` is sent. */
async function stopped(dir: string, args: string[], signal: NodeJS.Signals, when: (url: string | undefined, body: Buffer) => boolean) {
  let deployCalls = 0;
  let run: ReturnType<typeof watchRun> | undefined;
  let sent = false;
  const { url, server } = await proxy(org, (req, body) => {
    if (isDeployCall(body)) deployCalls++;
    if (!sent && run && when(req.url, body)) {
      sent = true;
      run.child.kill(signal);
      return { holdMs: HOLD_MS };
    }
    return undefined;
  });
  servers.push(server);
  const child = spawn(process.execPath, [OMNI_BIN, ...args, '--instance-url', url], {
    cwd: dir,
    env: { ...process.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true', SF_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  run = watchRun(child);
  const result = await run.done;
  return { ...result, dir, sent, deployCalls: () => deployCalls };
}

describe('omni deploy interrupted', () => {
  it('SIGINT once the org has the deploy request: exit 130, the job id and how to follow it, saved in last.json; deploy report reports it', async () => {
    const run = await deployStopped('SIGINT', (_url, body) => isDeployCall(body), ['--json']);
    expect(run.sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    const id = /deployment (0Af\w+) keeps running/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toMatch(/^0Af[A-Za-z0-9]{12,15}$/);
    expect(run.stderr).toContain(`omni deploy report ${id}`);
    expect(run.stderr).toContain(`omni deploy resume ${id}`);
    // The sample spec sets record settings after the deploy: the stopped run says they are not set.
    expect(run.stderr).toMatch(/record settings of .*omni-channel\.yaml are not all set/);
    expect(JSON.parse(readFileSync(join(run.dir, '.omni', 'deploys', 'last.json'), 'utf8')).id).toBe(id);
    // The run ended through the command's own path: the --json envelope names the running deployment.
    expect(run.json).toMatchObject({ status: 130, result: { id, done: false, reportCommand: `omni deploy report ${id}` } });
    // The deployment went on in the org: report follows it to its end.
    const report = await omniInProcess(org, run.dir, ['deploy', 'report', id!, '--wait', '5', '--json']);
    expect(report.code, report.stdout + report.stderr).toBe(0);
    expect(report.json.result).toMatchObject({ id, done: true, status: 'Succeeded' });
  }, 120_000);

  it('SIGTERM while polling: polling stops, exit 143 with the id, deploy report finds it', async () => {
    // The org's deployment runs until the test ends it, so the signal at its first status check lands while it
    // is in progress.
    const inProgressMs = DEPLOY_TIMING.inProgressMs;
    DEPLOY_TIMING.inProgressMs = UNTIL_FINISHED_MS;
    let run: Awaited<ReturnType<typeof deployStopped>>;
    try {
      run = await deployStopped('SIGTERM', (_url, body) => /checkDeployStatus/.test(body.toString('utf8')));
    } finally {
      DEPLOY_TIMING.inProgressMs = inProgressMs;
    }
    // The run has ended; the deployment was still running in the org, and now finishes.
    expect(finishDeploymentsNow(org.context)).toBe(1);
    expect(run.code, run.stderr).toBe(143);
    const id = /deployment (0Af\w+) keeps running/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toMatch(/^0Af/);
    expect(run.stdout).toContain(`omni deploy report ${id}`);
    expect(JSON.parse(readFileSync(join(run.dir, '.omni', 'deploys', 'last.json'), 'utf8')).id).toBe(id);
    const report = await omniInProcess(org, run.dir, ['deploy', 'report', '--wait', '5', '--json']);
    expect(report.json.result).toMatchObject({ id, done: true });
  }, 120_000);

  it('deploy resume <id>: SIGINT while it follows the deployment → 130, still running, the record settings named; it goes on in the org', async () => {
    const inProgressMs = DEPLOY_TIMING.inProgressMs;
    DEPLOY_TIMING.inProgressMs = UNTIL_FINISHED_MS;
    try {
      const p = makeProject({ copy: SAMPLE_WITH_CONFIG, prefix: 'omni-deploy-int-' });
      projects.push(p);
      const queued = await omniInProcess(org, p.dir, ['deploy', '--async', '--no-prompt', '--json']);
      expect(queued.code, queued.stdout + queued.stderr).toBe(0);
      const id = queued.json.result.id as string;
      const run = await stopped(p.dir, ['deploy', 'resume', id, '--wait', '5', '--json'], 'SIGINT', (_url, body) => /checkDeployStatus/.test(body.toString('utf8')));
      expect(finishDeploymentsNow(org.context)).toBe(1);
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toContain(`deployment ${id} keeps running`);
      expect(run.stderr).toMatch(/record settings of .*omni-channel\.yaml are not all set/);
      expect(run.json).toMatchObject({ status: 130, result: { id, done: false } });
      const report = await omniInProcess(org, p.dir, ['deploy', 'report', id, '--wait', '5', '--json']);
      expect(report.json.result).toMatchObject({ id, done: true, status: 'Succeeded' });
    } finally {
      DEPLOY_TIMING.inProgressMs = inProgressMs;
    }
  }, 120_000);

  it('SIGINT while the record settings are set: exit 130, the deployment named as finished, how to set the rest', async () => {
    const run = await deployStopped('SIGINT', (url, body) => /\/composite\/sobjects/.test(url ?? '') && body.length > 0);
    expect(run.sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    const id = /after deployment (0Af\w+) finished/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toMatch(/^0Af/);
    expect(run.stderr).toContain(`omni deploy resume ${id}`);
    expect(run.stderr).toMatch(/record settings of .*omni-channel\.yaml are not all set/);
    expect(JSON.parse(readFileSync(join(run.dir, '.omni', 'deploys', 'last.json'), 'utf8')).id).toBe(id);
  }, 120_000);

  it('SIGTERM before the deploy request: exit 143, nothing sent, no deploy call reached the org', async () => {
    const run = await deployStopped('SIGTERM', (url) => isQuery(url));
    expect(run.sent).toBe(true);
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toContain('nothing was sent to the org');
    expect(run.deployCalls()).toBe(0);
  }, 120_000);
});
