import type { AiaaApi } from '../api/aiaa-api';
import { ApiError } from '../api/http';
import type { AdminModel, ModelInfo } from '../api/types';
import { byId, describeFailure, el, formatBytes, showError } from '../ui/dom';
import { ProgressView } from '../ui/progress-view';
import { readVersions, type ModelVersionRow } from './model-versions';

/** The route of a model's stored versions, as the OpenAPI document names it. */
export const VERSIONS_PATH = '/admin/model/{name}/versions';

/**
 * The admin section: shown when `GET /admin/model` answers (this browser's address is in `--admin_hosts`, or the
 * token entered is valid). Upload (config + model file, a zip bundle, or a config alone), delete, and switching the
 * active version where the server keeps versions. Errors are shown in the server's words.
 */
export class AdminPanel {
  readonly #status = byId('admin-status', HTMLParagraphElement);
  readonly #tokenForm = byId('token-form', HTMLFormElement);
  readonly #panel = byId('admin-panel', HTMLDivElement);
  readonly #error = byId('admin-error', HTMLDivElement);
  readonly #tbody = byId('admin-models', HTMLTableElement).tBodies[0] as HTMLTableSectionElement;
  readonly #uploadError = byId('upload-error', HTMLDivElement);
  readonly #uploadDone = byId('upload-done', HTMLParagraphElement);
  readonly #uploadButton = byId('upload-button', HTMLButtonElement);
  readonly #progress = new ProgressView(
    byId('upload-progress', HTMLDivElement),
    byId('upload-progress-bar', HTMLProgressElement),
    byId('upload-progress-text', HTMLSpanElement),
  );
  #versions: boolean | Error = false;

  /** Called after a change to the registry, so the rest of the page reloads the models. */
  onChange: (() => void) | undefined;

  constructor(private readonly api: AiaaApi) {
    this.#tokenForm.addEventListener('submit', (e) => {
      e.preventDefault();
      api.adminToken = byId('admin-token', HTMLInputElement).value.trim();
      this.onChange?.();
    });
    byId('upload-form', HTMLFormElement).addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#upload();
    });
  }

  /**
   * Whether the server documents the versions routes (read once from its OpenAPI document), or why that could not
   * be read (said in the status line; versions are then not offered).
   */
  set versionsSupport(support: boolean | Error) {
    this.#versions = support;
  }

  /**
   * Asks the registry; answers its models when this browser may administer the server, undefined otherwise (the
   * panel then says why, in the server's words, and offers the token field).
   */
  async refresh(models: readonly ModelInfo[]): Promise<AdminModel[] | undefined> {
    let registered: AdminModel[];
    try {
      registered = await this.api.adminModels();
    } catch (error) {
      this.#panel.hidden = true;
      this.#tokenForm.hidden = false;
      this.#status.textContent =
        error instanceof ApiError && error.status === 403
          ? `Admin is not open to this browser: ${error.message}`
          : `The registry did not answer: ${describeFailure(error)}`;
      return undefined;
    }
    this.#panel.hidden = false;
    this.#tokenForm.hidden = this.api.adminToken === undefined;
    this.#status.textContent =
      this.api.adminToken === undefined
        ? 'This browser may administer the server (its address is in --admin_hosts).'
        : 'Administering with the admin token.';
    if (this.#versions instanceof Error) {
      this.#status.textContent += ` Model versions are not offered: ${describeFailure(this.#versions)}`;
    }
    const versions = new Map(models.map((m) => [m.name, String(m.active_version ?? m.version)]));
    this.#tbody.replaceChildren(
      ...registered.map((model) =>
        this.#row(model, versions.get(model.name) ?? String(model.activeVersion ?? model.version)),
      ),
    );
    return registered;
  }

  #row(model: AdminModel, activeVersion: string): HTMLTableRowElement {
    const versionsCell = el('td', '—');
    const remove = el('button', 'Delete', { type: 'button', class: 'small danger' });
    remove.addEventListener('click', () => void this.#delete(model.name, remove));
    const row = el('tr', [
      el('td', [el('code', model.name)]),
      el('td', model.version),
      el('td', model.engine),
      el('td', formatBytes(model.sizeBytes)),
      el('td', new Date(model.updatedAt).toLocaleString()),
      versionsCell,
      el('td', [remove]),
    ]);
    row.dataset['model'] = model.name;
    if (this.#versions === true) {
      void this.#showVersions(model.name, activeVersion, versionsCell);
    }
    return row;
  }

  /** Lists the stored versions with a switch for each inactive one; nothing when the route does not answer 200. */
  async #showVersions(name: string, activeVersion: string, cell: HTMLTableCellElement): Promise<void> {
    let rows: ModelVersionRow[];
    try {
      rows = readVersions(await this.api.versions(name), activeVersion);
    } catch (error) {
      cell.textContent = `— (${describeFailure(error)})`;
      return;
    }
    if (rows.length === 0) {
      return;
    }
    cell.replaceChildren(
      ...rows.map((row) => {
        if (row.active) {
          return el('span', `v${row.version} (active) `, { class: 'active-version' });
        }
        const button = el('button', `make v${row.version} active`, { type: 'button', class: 'small' });
        button.addEventListener('click', () => void this.#activate(name, row.version, button));
        return button;
      }),
    );
  }

  async #activate(name: string, version: number, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await this.api.activateVersion(name, version);
      showError(this.#error, undefined);
      this.onChange?.();
    } catch (error) {
      showError(this.#error, error);
      button.disabled = false;
    }
  }

  /** Two steps: the first press arms the button, the second deletes. */
  async #delete(name: string, button: HTMLButtonElement): Promise<void> {
    if (button.dataset['armed'] !== 'true') {
      button.dataset['armed'] = 'true';
      button.textContent = `Really delete ${name}?`;
      return;
    }
    button.disabled = true;
    try {
      await this.api.deleteModel(name);
      showError(this.#error, undefined);
      this.onChange?.();
    } catch (error) {
      showError(this.#error, error);
      button.disabled = false;
    }
  }

  async #upload(): Promise<void> {
    const name = byId('upload-name', HTMLInputElement).value.trim();
    const config = byId('upload-config', HTMLInputElement).files?.[0];
    const data = byId('upload-data', HTMLInputElement).files?.[0];
    const native = byId('upload-native', HTMLInputElement).checked;
    showError(this.#uploadError, undefined);
    this.#uploadDone.hidden = true;
    if (!config && !data) {
      showError(this.#uploadError, new Error('Choose a config_aiaa.json, a model file or a zip bundle.'));
      return;
    }
    this.#uploadButton.disabled = true;
    const label = `Uploading ${name}`;
    try {
      const model = await this.api.putModel({
        name,
        config,
        data,
        native,
        onUpload: (p) => {
          // Once every byte is sent the server validates and loads the model: say so rather than sit at 100 %.
          if (p.total !== undefined && p.loaded >= p.total) {
            this.#progress.running(`Validating and loading ${name} on the server…`);
          } else {
            this.#progress.bytes(label, p);
          }
        },
      });
      this.#uploadDone.hidden = false;
      this.#uploadDone.textContent = `Installed ${model.name} (${model.type}, version ${model.version}, ${model.engine}).`;
      this.onChange?.();
    } catch (error) {
      showError(this.#uploadError, error);
    } finally {
      this.#progress.hide();
      this.#uploadButton.disabled = false;
    }
  }
}
