import type { ModelInfo } from '../../runtime/loaded-model';

/** MONAI Label's model types for AIAA's: a `pipeline` model segments alone and refines with clicks, as deepedit does. */
const TYPE_OF: Readonly<Record<string, string>> = {
  segmentation: 'segmentation',
  annotation: 'annotation',
  classification: 'classification',
  deepgrow: 'deepgrow',
  pipeline: 'deepedit',
  others: 'others',
};

/** One `models` entry of `GET /info/`, as 3D Slicer and OHIF read it. */
export interface MonaiLabelModel {
  readonly type: string;
  /** Label names; the value written for label n (1-based) is n. */
  readonly labels: readonly string[];
  readonly dimension: 2 | 3;
  readonly description: string;
  /** Options a client offers the user (a list means a choice); none here: the server picks its own device. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The registry's version that serves (`PUT /admin/model/{name}/active`), as `/v1/models` reports it. */
  readonly version?: number;
}

/** The MONAI Label entry of a loaded model (`type` mapped from AIAA's, `dimension` from deepgrow's `2D`/`3D`). */
export function monaiLabelModelOf(info: ModelInfo): MonaiLabelModel {
  return {
    type: TYPE_OF[info.type] ?? 'others',
    labels: info.labels,
    dimension: dimensionOf(info),
    description: info.description,
    config: {},
    ...(info.active_version === undefined ? {} : { version: info.active_version }),
  };
}

/**
 * 2 for models whose `inference.meta_data` says `deepgrow: "2D"` or `dimension: 2` (their clicks lie on one slice),
 * else 3.
 */
function dimensionOf(info: ModelInfo): 2 | 3 {
  const deepgrow = info['deepgrow'];
  return info['dimension'] === 2 || (typeof deepgrow === 'string' && deepgrow.toUpperCase() === '2D') ? 2 : 3;
}
