import type { Progress } from '../api/http';
import { formatBytes } from './dom';

/**
 * A progress line: a <progress> bar (indeterminate while the total is unknown, e.g. while a model runs) and a text.
 * While a step runs without byte progress the text counts the seconds, so a long model visibly runs.
 */
export class ProgressView {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly box: HTMLElement,
    private readonly bar: HTMLProgressElement,
    private readonly text: HTMLElement,
  ) {}

  /** Shows byte progress of an upload or download: "Uploading spleen.nii.gz: 3.1 MiB of 7.0 MiB". */
  bytes(label: string, progress: Progress): void {
    this.#stopTimer();
    this.box.hidden = false;
    if (progress.total) {
      this.bar.max = progress.total;
      this.bar.value = progress.loaded;
      this.text.textContent = `${label}: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`;
    } else {
      this.bar.removeAttribute('value');
      this.text.textContent = `${label}: ${formatBytes(progress.loaded)}`;
    }
  }

  /** Shows a step without byte progress, with the seconds it has taken so far. */
  running(label: string): void {
    this.#stopTimer();
    this.box.hidden = false;
    this.bar.removeAttribute('value');
    const started = performance.now();
    const tick = (): void => {
      this.text.textContent = `${label} ${((performance.now() - started) / 1000).toFixed(1)} s`;
    };
    tick();
    this.#timer = setInterval(tick, 100);
  }

  hide(): void {
    this.#stopTimer();
    this.box.hidden = true;
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
