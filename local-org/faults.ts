/**
 * Seeded fault injection: every eligible request draws twice from a deterministic PRNG, so the same
 * seed and the same sequence of requests give the same faults. Faults are decided before any write.
 */

export type FaultKind = 'unavailable' | 'unknown-exception' | 'lock-row' | 'drop' | 'session';

/** mulberry32: tiny, fast and good enough for reproducible test traffic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private readonly random: () => number;
  private readonly rate: number;

  constructor(rate = 0, seed = 1) {
    this.rate = Math.max(0, Math.min(1, rate));
    this.random = prng(seed);
  }

  /** The fault for the next request, if any. Always draws twice so reads and writes consume alike. */
  next(isWrite: boolean): FaultKind | undefined {
    if (this.rate === 0) return undefined;
    const hit = this.random() < this.rate;
    const pick = this.random();
    if (!hit) return undefined;
    if (pick < 0.25) return 'unavailable';
    if (pick < 0.5) return 'unknown-exception';
    if (pick < 0.7) return isWrite ? 'lock-row' : 'unknown-exception';
    if (pick < 0.85) return 'drop';
    return 'session';
  }
}
