/** MONAI Label's `latencies` of a result, in seconds rounded to 10 ms. */
export interface Latencies {
  readonly pre: number;
  readonly infer: number;
  readonly invert: number;
  readonly post: number;
  readonly write: number;
  readonly total: number;
  /** Per-transform times, which this server reports in `Server-Timing` instead. */
  readonly transform: null;
}

/** The stage timings of a run (`pre_transforms`, `inference`, `post_transforms`, `writer`, `total` in ms) as latencies. */
export function latenciesOf(timingsMs: Readonly<Record<string, number>>): Latencies {
  const seconds = (key: string): number => Math.round((timingsMs[key] ?? 0) / 10) / 100;
  return {
    pre: seconds('pre_transforms'),
    infer: seconds('inference'),
    invert: 0,
    post: seconds('post_transforms'),
    write: seconds('writer'),
    total: seconds('total'),
    transform: null,
  };
}
