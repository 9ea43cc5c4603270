import type { PipelineStage, StageTimings } from '@aiaa/inference';

/** How often a long run reports the stage it is in. */
export const PROGRESS_EVERY_MS = 10_000;

/**
 * The log of one model run: while it lasts, every `everyMs` the stage it is in (a 256³ whole-volume MRI model takes
 * 40 s and more, and the log should show it working); when it ends, one line with the time of each kind of stage.
 * Quick runs log only that last line.
 */
export class RunProgress {
  readonly #started = performance.now();
  readonly #timer: NodeJS.Timeout;
  #stage: { readonly label: string; readonly startedAt: number } | undefined;

  constructor(
    private readonly log: (line: string) => void,
    private readonly modelName: string,
    everyMs = PROGRESS_EVERY_MS,
  ) {
    this.#timer = setInterval(() => this.#report(), everyMs);
    // A pending report must not keep the process alive.
    this.#timer.unref();
  }

  /** The pipeline's `onStage` callback: remembers the stage that starts. */
  readonly onStage = (stage: PipelineStage, index: number, total: number): void => {
    this.#stage = { label: `${index + 1}/${total} ${stage.path} ${stage.name}`, startedAt: performance.now() };
  };

  /** Stops the reports and logs the run's stage timings. */
  done(timings: StageTimings): void {
    this.stop();
    const kinds = (['pre_transforms', 'inference', 'post_transforms', 'writer'] as const).map(
      (kind) => `${kind} ${seconds(timings[kind])}`,
    );
    this.log(`model '${this.modelName}': ran in ${seconds(timings.total)} (${kinds.join(', ')})`);
  }

  /** Stops the reports (the run ended, whichever way). Idempotent. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #report(): void {
    const now = performance.now();
    const stage = this.#stage;
    const where = stage ? `stage ${stage.label} for ${seconds(now - stage.startedAt)}` : 'waiting for a worker';
    this.log(`model '${this.modelName}': running ${seconds(now - this.#started)}, ${where}`);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
