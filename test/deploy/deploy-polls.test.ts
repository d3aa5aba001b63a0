/**
 * When omni deploy checks on its deployment: every 100 ms while it is young, then a quarter of its age, at
 * most every 2 s (sf's SDR polls every 1 s from the start); a deployment just queued is not checked at once.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { nextDeployPollMs } from '../../scripts/deploy/sdr-deploy.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';
import { proxy } from '../helpers/proxy.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('nextDeployPollMs', () => {
  it('100 ms for the first 400 ms, then a quarter of the age, at most 2 s', () => {
    expect(nextDeployPollMs(0)).toBe(100);
    expect(nextDeployPollMs(250)).toBe(100);
    expect(nextDeployPollMs(400)).toBe(100);
    expect(nextDeployPollMs(1000)).toBe(250);
    expect(nextDeployPollMs(6000)).toBe(1500);
    expect(nextDeployPollMs(8000)).toBe(2000);
    expect(nextDeployPollMs(30 * 60_000)).toBe(2000);
  });

  it('a clock that went backwards or an unknown age: still a wait within the bounds', () => {
    expect(nextDeployPollMs(-5000)).toBe(100);
    expect(nextDeployPollMs(Number.NaN)).toBe(2000);
  });

  it('a 3-second deployment is seen done within 100 ms + a quarter of its time, in at most 16 checks; a 10-minute one in at most one check per 2 s', () => {
    // The checks a deployment of `duration` ms gets, and how long after it finished the last one came.
    const checks = (duration: number) => {
      let at = 0;
      let n = 0;
      while (at < duration) {
        at += nextDeployPollMs(at);
        n++;
      }
      return { n, lag: at - duration };
    };
    expect(checks(180)).toEqual({ n: 2, lag: 20 });
    const short = checks(3000);
    expect(short.n).toBeLessThanOrEqual(16);
    expect(short.lag).toBeLessThanOrEqual(100 + 3000 / 4);
    expect(checks(600_000).n).toBeLessThanOrEqual(600_000 / 2000 + 16);
  });

  it('is between the bounds and never shrinks as the deployment ages', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e8, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (age, more) => {
        const wait = nextDeployPollMs(age);
        expect(wait).toBeGreaterThanOrEqual(100);
        expect(wait).toBeLessThanOrEqual(2000);
        expect(nextDeployPollMs(age + more)).toBeGreaterThanOrEqual(wait);
      }),
    );
  });
});

describe('omni deploy against the local org, on the wire', () => {
  it('the first checkDeployStatus comes at least 100 ms after the deploy call was answered, each next one at least 100 ms after the one before', async () => {
    const org = await startTestOrg();
    const project = makeProject();
    cleanups.push(() => org.stop(), () => project.cleanup());
    const soap = (body: Buffer) => body.toString('utf8');
    let deployAnswered: number | undefined;
    const checks: number[] = [];
    // When the proxy has passed on the org's answer to the deploy call, and when each status check reaches it.
    const front = await proxy(
      org,
      (req, body) => {
        if (req.url?.includes('/services/Soap/m/') && soap(body).includes('checkDeployStatus')) checks.push(performance.now());
        return undefined;
      },
      (req, body) => {
        if (req.url?.includes('/services/Soap/m/') && /<(\w+:)?deploy>/.test(soap(body))) deployAnswered = performance.now();
      },
    );
    cleanups.push(() => front.server.close());
    const r = await omniInProcess({ ...org, instanceUrl: front.url }, project.dir, ['deploy', '--json', '--wait', '10']);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0);
    expect(deployAnswered).toBeDefined();
    expect(checks.length).toBeGreaterThanOrEqual(1);
    // Timers never fire early; 5 ms for the clocks of two event loops.
    expect(checks[0] - (deployAnswered as number)).toBeGreaterThanOrEqual(95);
    for (let i = 1; i < checks.length; i++) expect(checks[i] - checks[i - 1]).toBeGreaterThanOrEqual(95);
  }, 120_000);
});
