import type { InferenceEndpoint } from '../api/aiaa-api';
import type { ModelInfo } from '../api/types';

/** How the viewer's clicks feed a model. */
export type ClickMode = 'none' | 'foreground-background' | 'extreme-points';

/** How the page runs one model type. */
export interface ModelKind {
  readonly endpoint: InferenceEndpoint;
  readonly clicks: ClickMode;
  /** Clicks needed before the model can run (DEXTR3D needs six extreme points). */
  readonly minClicks: number;
  /** What the page tells the user. */
  readonly hint: string;
}

const SEGMENTATION: ModelKind = {
  endpoint: 'segmentation',
  clicks: 'none',
  minClicks: 0,
  hint: 'Runs on the whole volume: press Run.',
};

const DEEPGROW: ModelKind = {
  endpoint: 'deepgrow',
  clicks: 'foreground-background',
  minClicks: 1,
  hint: 'Click on the structure to add a foreground point, shift-click to add a background point; each click reruns the model.',
};

const DEXTR3D: ModelKind = {
  endpoint: 'dextr3d',
  clicks: 'extreme-points',
  minClicks: 6,
  hint: 'Click the six extreme points of the structure (left, right, front, back, top, bottom); the model runs from the sixth click on, after each click.',
};

const OTHER: ModelKind = {
  endpoint: 'inference',
  clicks: 'none',
  minClicks: 0,
  hint: 'Runs through /v1/inference: press Run.',
};

/**
 * The endpoint and interaction of a model, by its AIAA type: `segmentation` → /v1/segmentation; `annotation` →
 * /v1/dextr3d with extreme points; `deepgrow` and `pipeline` (served by /v1/deepgrow too) → /v1/deepgrow with
 * foreground/background clicks; any other type → /v1/inference.
 */
export function kindOf(model: Pick<ModelInfo, 'type'>): ModelKind {
  switch (model.type) {
    case 'segmentation':
      return SEGMENTATION;
    case 'annotation':
      return DEXTR3D;
    case 'deepgrow':
    case 'pipeline':
      return DEEPGROW;
    default:
      return OTHER;
  }
}
