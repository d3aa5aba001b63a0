/**
 * When omni deploy checks on its deployment: every 100 ms while it is young, then a quarter of its age, at
 * most every 2 s (sf's SDR polls every 1 s from the start); a deployment just queued is not checked at once.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nextDeployPollMs, pollDeploy } from '../../scripts/deploy/sdr-deploy.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';
import { metadataCallClock } from '../helpers/proxy.ts';

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

describe('pollDeploy, the schedule it keeps', () => {
  // A stand-in for SDR's MetadataApiDeploy: the scheduler is under test here, not the wire (that is below).
  // Each answer takes `answerMs[i]`; the deployment is done at the last one.
  const fakeDeploy = (answerMs: number[]) => {
    const calls: Array<{ sent: number; answered: number }> = [];
    const deploy = {
      checkStatus: async () => {
        const i = calls.length;
        calls.push({ sent: Date.now(), answered: Number.NaN });
        await new Promise((resolve) => setTimeout(resolve, answerMs[i]));
        calls[i].answered = Date.now();
        return { done: i === answerMs.length - 1, status: i === answerMs.length - 1 ? 'Succeeded' : 'InProgress' };
      },
    };
    return { deploy: deploy as unknown as Parameters<typeof pollDeploy>[0], calls };
  };

  it('each check goes out at least 100 ms after the one before, and at least 50 ms after a slow answer came', async () => {
    // On a fake clock (Date.now and setTimeout): the schedule the product keeps, not how a loaded machine runs it —
    // on the real clock the stand-in reads Date.now() a moment after the product's own reading, and a pause between
    // the two (CI: 97 ms between two checks scheduled 100 ms apart) measured the machine, not the scheduler.
    vi.useFakeTimers();
    try {
      // A fast answer, a slow one (150 ms, past the 100 ms interval), then fast ones.
      const { deploy, calls } = fakeDeploy([5, 150, 5, 5]);
      const queuedAt = Date.now();
      const polled = pollDeploy(deploy, { timeoutMs: 60_000, justQueued: true, queuedAt });
      await vi.runAllTimersAsync();
      const status = await polled;
      expect(status.done).toBe(true);
      expect(calls).toHaveLength(4);
      expect(calls[0].sent - queuedAt).toBeGreaterThanOrEqual(100);
      for (let i = 1; i < calls.length; i++) {
        expect(calls[i].sent - calls[i - 1].sent).toBeGreaterThanOrEqual(100);
        expect(calls[i].sent - calls[i - 1].answered).toBeGreaterThanOrEqual(50);
      }
      // After the slow answer the next check waits for the 50 ms, not the 100 ms from its send (150 + 50 = 200).
      expect(calls[2].sent - calls[1].sent).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('omni deploy against the local org, on the wire', () => {
  it('the first checkDeployStatus reaches the org at least 100 ms after the deploy call was answered, each next one at least 50 ms after the one before was answered', async () => {
    const org = await startTestOrg();
    const project = makeProject();
    cleanups.push(() => org.stop(), () => project.cleanup());
    // When the org's answer to the deploy call and to each status check was passed on, and when each status
    // check reached the org.
    const front = await metadataCallClock(org);
    cleanups.push(() => front.server.close());
    const r = await omniInProcess({ ...org, instanceUrl: front.url }, project.dir, ['deploy', '--json', '--wait', '10']);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0);
    const [deployAnswered] = front.answered('deploy');
    const checks = front.sent('checkDeployStatus');
    const checksAnswered = front.answered('checkDeployStatus');
    expect(deployAnswered).toBeDefined();
    expect(checks.length).toBeGreaterThanOrEqual(1);
    // Bounds that hold on a loaded machine: a check is timed from the client's clock after an answer reached
    // it, never before the proxy passed that answer on. (From send to send, the 100 ms above, cannot be seen
    // here: how long a request takes to leave a busy client is not on the wire.) 5 ms for two event loops.
    expect(checks[0] - deployAnswered).toBeGreaterThanOrEqual(95);
    for (let i = 1; i < checks.length; i++) expect(checks[i] - checksAnswered[i - 1]).toBeGreaterThanOrEqual(45);
  }, 120_000);
});
