import type { ServerTiming } from '../api/server-timing';
import { byId, el, formatMs } from '../ui/dom';
import type { LabelSummary } from '../viewer/viewer';

/** The result box: legend (colour, name, voxels, mL), stage timings, download link, reply params. */
export class ResultView {
  readonly #box = byId('result', HTMLDivElement);
  readonly #legend = byId('legend', HTMLUListElement);
  readonly #timings = byId('timings', HTMLTableElement);
  readonly #download = byId('download', HTMLAnchorElement);
  readonly #params = byId('reply-params', HTMLPreElement);
  #downloadUrl: string | undefined;

  show(result: {
    labels: readonly LabelSummary[] | undefined;
    timings: readonly ServerTiming[];
    params: unknown;
    image?: { bytes: ArrayBuffer; filename: string };
    downloadName: string;
  }): void {
    this.#box.hidden = false;
    this.#legend.replaceChildren(
      ...(result.labels ?? []).map((label) => {
        const swatch = el('span', '', { class: 'swatch', style: `background: rgb(${label.colour.join(',')})` });
        const size = `${label.voxels.toLocaleString('en')} voxels · ${label.millilitres.toFixed(1)} mL`;
        return el('li', [swatch, el('strong', label.name), ` (${label.value}) — ${size}`]);
      }),
    );
    if (result.labels === undefined) {
      this.#legend.replaceChildren(el('li', 'The model answered JSON only (no image).'));
    }
    this.#timings.replaceChildren(
      el('caption', 'Server-Timing'),
      ...result.timings.map((t) =>
        el('tr', [
          el('th', t.name),
          el('td', t.durationMs === undefined ? (t.description ?? '') : formatMs(t.durationMs)),
        ]),
      ),
    );
    this.#params.textContent = JSON.stringify(result.params, null, 2);
    if (this.#downloadUrl) {
      URL.revokeObjectURL(this.#downloadUrl);
      this.#downloadUrl = undefined;
    }
    this.#download.hidden = result.image === undefined;
    if (result.image) {
      this.#downloadUrl = URL.createObjectURL(new Blob([result.image.bytes], { type: 'application/octet-stream' }));
      this.#download.href = this.#downloadUrl;
      this.#download.download = result.downloadName;
    }
  }

  hide(): void {
    this.#box.hidden = true;
  }
}
