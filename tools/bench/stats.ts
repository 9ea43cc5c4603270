import { performance } from 'node:perf_hooks';

/** Median, min and max of repeated timings, in milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Times `fn` `runs` times after `warmups` untimed calls; each call gets the run index. */
export async function timeRuns(runs: number, fn: (run: number) => unknown, warmups = 1): Promise<Timing> {
  for (let i = 0; i < warmups; i++) {
    await fn(-1 - i);
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** Summary of raw samples (ms). */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: percentile(sorted, 50),
    minMs: sorted[0] ?? NaN,
    maxMs: sorted[sorted.length - 1] ?? NaN,
    runs: sorted.length,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** Gigabytes per second for `bytes` processed in `ms`. */
export function gbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e9 / (ms / 1000);
}
