import type { z } from 'zod';
import type { TransformContext } from './transform-context';

/**
 * One named transform of the catalogue: a pre-transform, post-transform or writer that a `config_aiaa.json` names.
 * Each definition lives in its own file under `catalogue/` and is listed once in `catalogue/index.ts`.
 */
export interface TransformDefinition<Args = unknown> {
  /** The canonical name (AIAA v3 short name), e.g. `ScaleIntensityRange`. */
  readonly name: string;
  /** Other names that resolve to it: `aiaa.transforms.*`, MONAI-style `…d` names. */
  readonly aliases: readonly string[];
  /** One sentence on what it does, for the generated reference (`docs/transforms.md`) and the config's JSON Schema. */
  readonly summary: string;
  /**
   * The argument schema: validates raw JSON args and fills defaults. Errors are reported with the config path
   * (`pre_transforms[2] ScaleIntensityRange: a_min must be a number`).
   */
  readonly args: z.ZodType<Args>;
  /** What the step does to the context. CPU-heavy steps keep their loops over typed arrays. */
  apply(ctx: TransformContext, args: Args): void | Promise<void>;
}

/** A transform built from a config entry: definition plus validated args, ready to run. */
export interface Transform {
  /** The name as written in the config. */
  readonly name: string;
  /** Where in the config it came from, e.g. `pre_transforms[2]`. */
  readonly path: string;
  apply(ctx: TransformContext): Promise<void>;
}

/**
 * Builds transforms the catalogue does not know (a user's `module.ClassName` in `<workspace>/lib`); returns
 * undefined when it does not know the name either. Supplied by the plugins loader.
 */
export type CustomTransformResolver = (
  name: string,
  args: Record<string, unknown>,
  path: string,
) => Transform | undefined;

/** Identity helper that keeps the args type of a definition (`defineTransform({...})`). */
export function defineTransform<Args>(definition: TransformDefinition<Args>): TransformDefinition<Args> {
  return definition;
}
