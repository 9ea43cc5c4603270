import { AdminPanel, VERSIONS_PATH } from './admin/admin-panel';
import { AiaaApi } from './api/aiaa-api';
import type { HealthReport } from './api/types';
import { renderHealth, renderModels } from './models/models-view';
import { exposePageHooks } from './page-hooks';
import { TryPanel } from './try/try-panel';
import { byId, describeFailure, showError } from './ui/dom';
import { Viewer } from './viewer/viewer';

/** Wires the page: health, models, "try a model", admin; every failure lands in a visible box. */
async function start(): Promise<void> {
  const api = new AiaaApi();
  const viewer = await Viewer.create(byId('viewer-canvas', HTMLCanvasElement));
  const location = byId('viewer-location', HTMLParagraphElement);
  viewer.onLocation = (text) => (location.textContent = text);
  exposePageHooks(viewer);
  const tryPanel = new TryPanel(api, viewer);
  const admin = new AdminPanel(api);
  const modelsError = byId('models-error', HTMLDivElement);
  const tbody = byId('models-table', HTMLTableElement).tBodies[0] as HTMLTableSectionElement;

  const refresh = async (): Promise<void> => {
    let health: HealthReport | undefined;
    try {
      health = await api.health();
      renderHealth(byId('health', HTMLSpanElement), health);
    } catch (error) {
      renderHealth(byId('health', HTMLSpanElement), undefined, describeFailure(error));
    }
    try {
      const models = await api.models();
      const registered = await admin.refresh(models);
      renderModels(tbody, models, health, registered);
      tryPanel.setModels(models);
      showError(modelsError, undefined);
    } catch (error) {
      showError(modelsError, error);
    }
  };
  admin.onChange = () => void refresh();
  byId('refresh-models', HTMLButtonElement).addEventListener('click', () => void refresh());

  admin.versionsSupport = await api.documentedPaths().then(
    (paths) => paths.has(VERSIONS_PATH),
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  await refresh();
  try {
    await tryPanel.setSamples(await api.samples());
  } catch (error) {
    showError(byId('try-error', HTMLDivElement), error);
  }
  document.body.dataset['ready'] = 'true';
}

start().catch((error: unknown) => {
  const box = document.getElementById('try-error');
  if (box) {
    showError(box, error);
  }
  throw error;
});
