/**
 * When apply polls a Bulk API 2.0 ingest job: backoff until two polls have seen records processed (shortened
 * when one poll's rate since the close says the job ends sooner), then once for when the rest should be done
 * at the rate seen between them (a fifth added), 150 ms to 10 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPollMs } from '../../scripts/assign/execute.ts';

describe('nextPollMs', () => {
  it('backs off until two polls have seen progress', () => {
    expect(nextPollMs([], 10_000, 150)).toBe(150);
    expect(nextPollMs([{ at: 0, processed: 0 }], 10_000, 240)).toBe(240);
    // One poll's rate would count the job's start and the round trip: not trusted.
    expect(nextPollMs([{ at: 280, processed: 2000 }], 10_000, 240)).toBe(240);
    // No progress between two polls (a real org counts per internal batch of 10,000): still the backoff.
    expect(nextPollMs([{ at: 0, processed: 10_000 }, { at: 400, processed: 10_000 }], 100_000, 384)).toBe(384);
    expect(nextPollMs([{ at: 0, processed: 2000 }, { at: 100, processed: 4000 }], undefined, 384)).toBe(384);
  });

  it('after one poll that saw progress: sooner than the backoff when the rest should be done by then at the rate since the close, never later', () => {
    // Closed at 0; 6,000 of 10,000 done by 150 ms: 4,000 left take ≤ 100 ms at that rate → 120 ms, not 240.
    expect(nextPollMs([{ at: 150, processed: 6000 }], 10_000, 240, 0)).toBe(120);
    // All but a few done: not sooner than 50 ms.
    expect(nextPollMs([{ at: 150, processed: 9990 }], 10_000, 240, 0)).toBe(50);
    // 2,000 of 100,000 by 150 ms: the rest would take seconds — the backoff, not longer.
    expect(nextPollMs([{ at: 150, processed: 2000 }], 100_000, 240, 0)).toBe(240);
    // Nothing processed yet, or no close time (a job found in a journal): the backoff.
    expect(nextPollMs([{ at: 150, processed: 0 }], 10_000, 240, 0)).toBe(240);
    expect(nextPollMs([{ at: 150, processed: 6000 }], 10_000, 240)).toBe(240);
  });

  it('with a rate: when the rest should be done, plus a fifth', () => {
    // 2,000 records in 100 ms → 6,000 left take 300 ms → 360 ms.
    expect(nextPollMs([{ at: 0, processed: 0 }, { at: 50, processed: 2000 }, { at: 150, processed: 4000 }], 10_000, 384)).toBe(360);
    // 100,000 records at 10 per ms, 90,000 left: 9 s → 10.8 s, at most 10 s.
    expect(nextPollMs([{ at: 0, processed: 5000 }, { at: 500, processed: 10_000 }], 100_000, 240)).toBe(10_000);
    // Nearly done: not sooner than 150 ms.
    expect(nextPollMs([{ at: 0, processed: 2000 }, { at: 100, processed: 9990 }], 10_000, 384)).toBe(150);
  });

  it('is the backoff or between 50 ms and 10 s, whatever the samples, and one sample never lengthens the backoff', () => {
    const sample = fc.record({ at: fc.double({ min: 0, max: 1e6, noNaN: true }), processed: fc.nat(200_000) });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 6 }), fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }), fc.integer({ min: 150, max: 2000 }), fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }), (samples, records, interval, closedAt) => {
        const wait = nextPollMs(samples, records, interval, closedAt);
        expect(wait === interval || (wait >= 50 && wait <= 10_000)).toBe(true);
        // One poll that saw progress only ever shortens the backoff.
        if (samples.filter((s) => s.processed > 0).length === 1) expect(wait).toBeLessThanOrEqual(interval);
      }),
    );
  });
});
