/**
 * When apply polls a Bulk API 2.0 ingest job: backoff until two polls have seen records processed, then
 * once for when the rest should be done at the rate seen between them (a fifth added), 150 ms to 10 s.
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

  it('with a rate: when the rest should be done, plus a fifth', () => {
    // 2,000 records in 100 ms → 6,000 left take 300 ms → 360 ms.
    expect(nextPollMs([{ at: 0, processed: 0 }, { at: 50, processed: 2000 }, { at: 150, processed: 4000 }], 10_000, 384)).toBe(360);
    // 100,000 records at 10 per ms, 90,000 left: 9 s → 10.8 s, at most 10 s.
    expect(nextPollMs([{ at: 0, processed: 5000 }, { at: 500, processed: 10_000 }], 100_000, 240)).toBe(10_000);
    // Nearly done: not sooner than 150 ms.
    expect(nextPollMs([{ at: 0, processed: 2000 }, { at: 100, processed: 9990 }], 10_000, 384)).toBe(150);
  });

  it('is the backoff or between 150 ms and 10 s, whatever the samples', () => {
    const sample = fc.record({ at: fc.double({ min: 0, max: 1e6, noNaN: true }), processed: fc.nat(200_000) });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 6 }), fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }), fc.integer({ min: 150, max: 2000 }), (samples, records, interval) => {
        const wait = nextPollMs(samples, records, interval);
        expect(wait === interval || (wait >= 150 && wait <= 10_000)).toBe(true);
      }),
    );
  });
});
