import type { AiaaApi } from '../api/aiaa-api';
import { ApiError } from '../api/http';
import type { InferenceResult } from '../api/inference-reply';
import type { ModelInfo, SampleInfo } from '../api/types';
import { kindOf, type ModelKind } from '../models/model-kinds';
import { byId, el, formatBytes, showError } from '../ui/dom';
import { ProgressView } from '../ui/progress-view';
import type { LabelSummary, Viewer, ViewerClick } from '../viewer/viewer';
import { ClickPoints } from './click-points';
import { ImageSource } from './image-source';
import { ResultView } from './result-view';

/** The state shown on `#try-section[data-state]` (the browser tests wait on it). */
export type TryState = 'idle' | 'loading' | 'ready' | 'uploading' | 'running' | 'done' | 'error';

const SESSION_EXPIRED = 440;

/**
 * "Try a model": pick a sample or a local NIfTI, pick a model, run it (or click, for deepgrow and DEXTR3D), see the
 * segmentation over the image with its legend, timings and download.
 */
export class TryPanel {
  readonly #section = byId('try-section', HTMLElement);
  readonly #sampleSelect = byId('sample-select', HTMLSelectElement);
  readonly #localFile = byId('local-file', HTMLInputElement);
  readonly #imageInfo = byId('image-info', HTMLParagraphElement);
  readonly #modelSelect = byId('model-select', HTMLSelectElement);
  readonly #modelHint = byId('model-hint', HTMLParagraphElement);
  readonly #clicksBox = byId('clicks-fieldset', HTMLFieldSetElement);
  readonly #clicksList = byId('clicks-list', HTMLOListElement);
  readonly #runButton = byId('run-button', HTMLButtonElement);
  readonly #cancelButton = byId('cancel-button', HTMLButtonElement);
  readonly #error = byId('try-error', HTMLDivElement);
  readonly #progress = new ProgressView(
    byId('try-progress', HTMLDivElement),
    byId('try-progress-bar', HTMLProgressElement),
    byId('try-progress-text', HTMLSpanElement),
  );
  readonly #result = new ResultView();
  readonly #source: ImageSource;
  #models: readonly ModelInfo[] = [];
  #clicks = new ClickPoints('none');
  #run: AbortController | undefined;
  #runs = 0;

  constructor(
    private readonly api: AiaaApi,
    private readonly viewer: Viewer,
  ) {
    this.#source = new ImageSource(api);
    this.#sampleSelect.addEventListener('change', () => void this.#loadSample(this.#sampleSelect.value));
    this.#localFile.addEventListener('change', () => void this.#loadLocalFile());
    this.#modelSelect.addEventListener('change', () => this.#modelChanged());
    byId('try-form', HTMLFormElement).addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run();
    });
    this.#cancelButton.addEventListener('click', () => this.#run?.abort());
    byId('clear-clicks', HTMLButtonElement).addEventListener('click', () => {
      this.#clicks.clear();
      this.#renderClicks();
    });
    const opacity = byId('opacity', HTMLInputElement);
    let opacityFrame: number | undefined;
    opacity.addEventListener('input', () => {
      // One GL rebuild per frame however fast the slider moves: each rebuild is costly without a GPU.
      opacityFrame ??= requestAnimationFrame(() => {
        opacityFrame = undefined;
        viewer.setOpacity(Number(opacity.value));
      });
    });
    viewer.onClick = (click) => this.#clicked(click);
  }

  /**
   * Fills the sample list (label maps are answers, not inputs, so they are left out) and loads the first CT, the
   * modality of the demo models.
   */
  async setSamples(samples: readonly SampleInfo[]): Promise<void> {
    const inputs = samples.filter((s) => !/_label\./.test(s.name));
    this.#sampleSelect.replaceChildren(
      el('option', 'choose…', { value: '' }),
      ...inputs.map((s) => el('option', `${s.name} (${formatBytes(s.bytes)})`, { value: s.name })),
    );
    const first = inputs.find((s) => /_ct\./.test(s.name)) ?? inputs[0];
    if (first && !this.#source.image) {
      this.#sampleSelect.value = first.name;
      await this.#loadSample(first.name);
    }
  }

  /** Refreshes the model list, keeping the selection when the model is still there. */
  setModels(models: readonly ModelInfo[]): void {
    const selected = this.#modelSelect.value;
    this.#models = models;
    this.#modelSelect.replaceChildren(...models.map((m) => el('option', `${m.name} (${m.type})`, { value: m.name })));
    if (models.some((m) => m.name === selected)) {
      this.#modelSelect.value = selected;
    } else {
      this.#modelChanged();
    }
  }

  /** Runs the selected model on the current image with the current clicks; a new run cancels one in flight. */
  async run(): Promise<void> {
    const model = this.#model();
    const image = this.#source.image;
    if (!model || !image) {
      showError(this.#error, new Error(model ? 'Choose an image first.' : 'No model is loaded.'));
      return;
    }
    const kind = kindOf(model);
    if (this.#clicks.points.length < kind.minClicks) {
      showError(this.#error, new Error(`${model.name} needs at least ${kind.minClicks} clicks on the image.`));
      return;
    }
    this.#run?.abort();
    const run = new AbortController();
    this.#run = run;
    showError(this.#error, undefined);
    this.#cancelButton.hidden = false;
    try {
      const result = await this.#infer(model, kind, run.signal);
      if (run.signal.aborted) {
        return;
      }
      await this.#showResult(model, image.name, result);
      this.#runs++;
      this.#section.dataset['runs'] = String(this.#runs);
      this.#setState('done');
    } catch (error) {
      if (this.#run === run) {
        showError(this.#error, error);
        this.#setState('error');
      }
    } finally {
      if (this.#run === run) {
        this.#run = undefined;
        this.#cancelButton.hidden = true;
        this.#progress.hide();
      }
    }
  }

  async #infer(model: ModelInfo, kind: ModelKind, signal: AbortSignal): Promise<InferenceResult> {
    const params = this.#clicks.params();
    for (let attempt = 0; ; attempt++) {
      this.#setState('uploading');
      const sessionId = await this.#source.session((p) => this.#progress.bytes(`Uploading ${this.#imageName()}`, p));
      this.#setState('running');
      this.#progress.running(`Running ${model.name} on the server…`);
      try {
        return await this.api.infer({
          endpoint: kind.endpoint,
          model: model.name,
          sessionId,
          params,
          signal,
          onDownload: (p) => this.#progress.bytes('Receiving the result', p),
        });
      } catch (error) {
        // The server forgot the session (expired, or restarted with a clean workspace): upload once more.
        if (error instanceof ApiError && error.status === SESSION_EXPIRED && attempt === 0) {
          this.#source.dropSession();
          continue;
        }
        throw error;
      }
    }
  }

  async #showResult(model: ModelInfo, imageName: string, result: InferenceResult): Promise<void> {
    let labels: LabelSummary[] | undefined;
    if (result.image) {
      // The legend and the download use the bytes as received; niivue decodes its own copy.
      labels = await this.viewer.showSegmentation(result.image.bytes.slice(0), model.labels);
    } else {
      this.viewer.clearSegmentation();
    }
    const base = imageName.replace(/\.nii(\.gz)?$/, '');
    const ext = result.image?.filename.match(/\.nii(\.gz)?$/)?.[0] ?? '.nii.gz';
    this.#result.show({ ...result, labels, downloadName: `${base}_${model.name}${ext}` });
  }

  async #loadSample(name: string): Promise<void> {
    if (name === '') {
      return;
    }
    this.#localFile.value = '';
    await this.#loadImage(() => this.#source.fromSample(name, (p) => this.#progress.bytes(`Loading ${name}`, p)));
  }

  async #loadLocalFile(): Promise<void> {
    const file = this.#localFile.files?.[0];
    if (!file) {
      return;
    }
    this.#sampleSelect.value = '';
    await this.#loadImage(() => Promise.resolve(this.#source.fromFile(file)));
  }

  async #loadImage(load: () => Promise<{ name: string; file: Blob }>): Promise<void> {
    this.#dropRun();
    this.#setState('loading');
    showError(this.#error, undefined);
    this.#result.hide();
    try {
      const image = await load();
      const summary = await this.viewer.showImage(await image.file.arrayBuffer(), image.name);
      this.#imageInfo.textContent =
        `${image.name}: ${summary.dims.join(' × ')} voxels, ` +
        `${summary.spacingMm.map((s) => s.toFixed(2)).join(' × ')} mm, ${formatBytes(image.file.size)}`;
      this.#clicks.clear();
      this.#renderClicks();
      this.#setState('ready');
    } catch (error) {
      showError(this.#error, error);
      this.#setState('error');
    } finally {
      this.#progress.hide();
    }
  }

  #modelChanged(): void {
    this.#dropRun();
    const model = this.#model();
    const kind = model ? kindOf(model) : undefined;
    this.#clicks = new ClickPoints(kind?.clicks ?? 'none');
    this.#modelHint.textContent = kind?.hint ?? '';
    this.#clicksBox.hidden = this.#clicks.mode === 'none';
    this.#renderClicks();
    this.viewer.clearSegmentation();
    this.#result.hide();
  }

  #clicked(click: ViewerClick): void {
    const model = this.#model();
    if (!model || !this.#clicks.add(click.voxel, click.shift)) {
      return;
    }
    this.#renderClicks();
    if (this.#clicks.points.length >= kindOf(model).minClicks) {
      void this.run();
    }
  }

  #renderClicks(): void {
    this.#clicksList.replaceChildren(
      ...this.#clicks.points.map((point, index) => {
        const remove = el('button', '×', { type: 'button', class: 'small', title: 'remove this click' });
        remove.addEventListener('click', () => {
          this.#clicks.remove(index);
          this.#renderClicks();
        });
        const what = this.#clicks.mode === 'extreme-points' ? 'point' : point.background ? 'background' : 'foreground';
        return el('li', [`${what} [${point.voxel.join(', ')}] `, remove], { class: point.background ? 'bg' : 'fg' });
      }),
    );
    const model = this.#model();
    const needed = model ? kindOf(model).minClicks : 0;
    this.#runButton.disabled = this.#clicks.points.length < needed;
  }

  /** Cancels a run in flight without reporting it: the image or model it was for is gone. */
  #dropRun(): void {
    const run = this.#run;
    this.#run = undefined;
    run?.abort();
    this.#cancelButton.hidden = true;
    this.#progress.hide();
  }

  #model(): ModelInfo | undefined {
    return this.#models.find((m) => m.name === this.#modelSelect.value);
  }

  #imageName(): string {
    return this.#source.image?.name ?? 'the image';
  }

  #setState(state: TryState): void {
    this.#section.dataset['state'] = state;
  }
}
