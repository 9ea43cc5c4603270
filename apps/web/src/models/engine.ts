import type { AdminModel, HealthReport, ModelInfo } from '../api/types';

/**
 * The engine a model runs on. The registry (`/admin/model`, when this client may read it) says it exactly; otherwise
 * a model with a Triton state runs on Triton, and the rest in-process: `AIAA` under `--engine AIAA`, `native` (kept
 * in-process with `?native=true`) under `--engine TRITON`.
 */
export function engineOf(model: ModelInfo, health: HealthReport | undefined, admin: AdminModel | undefined): string {
  if (admin) {
    return admin.engine;
  }
  if (model.triton) {
    return 'TRITON';
  }
  if (health === undefined) {
    return '?';
  }
  return health.engine === 'TRITON' ? 'native' : health.engine;
}
