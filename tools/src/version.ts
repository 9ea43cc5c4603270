import { SHAPE_FORMATS } from '@aiaa/core';

/** The shape formats this build of the tools understands (a smoke entry until the CLI lands). */
export const supportedShapeFormats: readonly string[] = SHAPE_FORMATS;
