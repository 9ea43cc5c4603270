import type { AdminModel, HealthReport, ModelInfo } from '../api/types';
import { el } from '../ui/dom';
import { engineOf } from './engine';

/** The models table: one row per `/v1/models` entry, with the registry's engine when the admin list is readable. */
export function renderModels(
  tbody: HTMLTableSectionElement,
  models: readonly ModelInfo[],
  health: HealthReport | undefined,
  adminModels: readonly AdminModel[] | undefined,
): void {
  const byName = new Map((adminModels ?? []).map((m) => [m.name, m]));
  tbody.replaceChildren(
    ...models.map((model) => {
      const triton = model.triton
        ? `${model.triton.state}${model.triton.reason ? `: ${model.triton.reason}` : ''}`
        : '—';
      const row = el('tr', [
        el('td', [el('code', model.name)]),
        el('td', model.deepgrow ? `${model.type} (${model.deepgrow})` : model.type),
        el('td', model.labels.length > 0 ? model.labels.join(', ') : '—'),
        el('td', engineOf(model, health, byName.get(model.name))),
        el('td', activeVersionOf(model), { title: `config version ${model.version}` }),
        el('td', triton, model.triton && model.triton.state !== 'READY' ? { class: 'warn' } : {}),
        el('td', model.description, { class: 'description' }),
      ]);
      row.dataset['model'] = model.name;
      return row;
    }),
  );
  if (models.length === 0) {
    tbody.replaceChildren(el('tr', [el('td', 'No model is loaded.', { colspan: '7', class: 'muted' })]));
  }
}

/** The health badge: `ok · AIAA` or `degraded · TRITON: not ready (…)`. */
export function renderHealth(badge: HTMLElement, health: HealthReport | undefined, error?: string): void {
  if (health === undefined) {
    badge.textContent = `health unknown: ${error ?? 'no answer'}`;
    badge.className = 'badge bad';
    return;
  }
  const triton = health.triton
    ? ` · Triton ${health.triton.address} ${health.triton.ready ? 'ready' : `not ready${health.triton.detail ? ` (${health.triton.detail})` : ''}`}`
    : '';
  badge.textContent = `${health.status} · engine ${health.engine}${triton}`;
  badge.className = health.status === 'ok' ? 'badge good' : 'badge bad';
}

/** The version that serves: the registry's number (`v2`) when the server keeps versions, else the config's. */
export function activeVersionOf(model: ModelInfo): string {
  return model.active_version === undefined ? model.version : `v${model.active_version}`;
}
