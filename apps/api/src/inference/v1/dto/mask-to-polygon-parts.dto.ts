import { InvalidInputError } from '@aiaa/core';
import { imageParts } from '../../../upload/image-parts';

/** Most `more_points` accepted: 8 already keeps every pixel of an outline. */
const MAX_MORE_POINTS = 1000;

/** The multipart request body of `POST /v1/mask2polygon`: `params` (`more_points`, read below) and the mask. */
export const MASK_TO_POLYGON_PARTS = imageParts({
  params: 'JSON text: `{"more_points": N}`',
  files: { datapoint: 'The mask (NIfTI)' },
});

/** `params.more_points`: absent → 0; otherwise a whole number in 0..1000. @throws InvalidInputError naming it. */
export function readMorePoints(value: unknown): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_MORE_POINTS) {
    throw new InvalidInputError(
      `params.more_points: expected a whole number from 0 to ${MAX_MORE_POINTS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}
