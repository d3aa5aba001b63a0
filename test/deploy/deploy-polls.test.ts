/**
 * When omni deploy checks on its deployment: every 100 ms while it is young, then a quarter of its age, at
 * most every 2 s (sf's SDR polls every 1 s from the start).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDeployPollMs } from '../../scripts/deploy/sdr-deploy.ts';

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
