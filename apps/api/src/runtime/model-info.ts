import { z } from 'zod';
import { ConfigError, formatIssues } from '@aiaa/core';
import { MODEL_TYPES, type ModelInfo } from './loaded-model';

const topLevel = z.object({
  type: z.enum(MODEL_TYPES),
  labels: z.array(z.string()).default([]),
  description: z.string().default(''),
  version: z.union([z.string(), z.number()]).default('1'),
  inference: z
    .object({
      meta_data: z.record(z.string(), z.unknown()).optional(),
      padding: z.number().optional(),
      roi: z.array(z.number().int().positive()).optional(),
      sigma: z.number().optional(),
    })
    .loose()
    .optional(),
});

/** Annotation defaults the C++ client assumes when a model does not say (AIAA-API §1, §6). */
const ANNOTATION_DEFAULTS = { padding: 20, roi: [128, 128, 128], sigma: 3 } as const;

/**
 * The `/v1/models` entry of a model, from its `config_aiaa.json`: name, labels, description, `version` as a string,
 * type; annotation models add `padding`, `roi`, `sigma`; `inference.meta_data` keys are copied in.
 * @throws ConfigError naming the field (`type: Invalid option: expected one of "segmentation"|...`).
 */
export function modelInfoFromConfig(name: string, config: unknown): ModelInfo {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(
      'config_aiaa.json',
      `expected a JSON object, got ${Array.isArray(config) ? 'an array' : typeof config}`,
    );
  }
  const parsed = topLevel.safeParse(config, { reportInput: true });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(first ? first.path.map(String).join('.') : '', formatIssues(parsed.error));
  }
  const { type, labels, description, version, inference } = parsed.data;
  const info: Record<string, unknown> = {
    ...inference?.meta_data,
    name,
    labels,
    description,
    version: String(version),
    type,
  };
  if (type === 'annotation') {
    info['padding'] = inference?.padding ?? ANNOTATION_DEFAULTS.padding;
    info['roi'] = inference?.roi ?? [...ANNOTATION_DEFAULTS.roi];
    info['sigma'] = inference?.sigma ?? ANNOTATION_DEFAULTS.sigma;
  }
  return info as unknown as ModelInfo;
}
