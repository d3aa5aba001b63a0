import { PerformanceObserver, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../scripts/lib/gc.ts';

/** The major collections V8 reports to Node's performance timeline while `run` runs (and just after). */
async function majorCollections(run: () => void): Promise<number> {
  let major = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  // gc entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return major;
}

describe('collectGarbage', () => {
  it('runs a full collection each time it is called', async () => {
    expect(await majorCollections(() => collectGarbage())).toBeGreaterThanOrEqual(1);
    expect(await majorCollections(() => collectGarbage())).toBeGreaterThanOrEqual(1);
  });

  it('frees what is no longer referenced', async () => {
    let big: number[][] | undefined = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i + 0.5));
    collectGarbage();
    const held = process.memoryUsage().heapUsed;
    expect(big.length).toBe(200);
    big = undefined;
    collectGarbage();
    // 2,000,000 doubles (~16 MB) were live and are gone.
    expect(held - process.memoryUsage().heapUsed).toBeGreaterThan(8 * 2 ** 20);
  });

  it('leaves no gc function on the global object', () => {
    collectGarbage();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
