import { AllocationBudget, describeArray } from '../budget/allocation-budget';
import { InvalidInputError } from '../errors';
import type { MedicalImage } from './medical-image';

/**
 * A float32 copy of `image` with `channels` appended after its own channels, channels first: a spatial image
 * (`DHW`, `HW`) becomes `CDHW`/`CHW` with its voxels as channel 0. Each new channel holds one value per spatial voxel
 * (x fastest). Used for DEXTR3D's extreme-point map and deepgrow's guidance signals.
 *
 * @throws InvalidInputError for channels-last or batch formats, or a channel of the wrong length; TooLargeError when
 *   the output does not fit the budget.
 */
export function appendChannels(
  image: MedicalImage,
  channels: readonly Float32Array[],
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): MedicalImage<Float32Array> {
  const format = image.shapeFormat;
  const spatialSize = image.spatialSize;
  const target =
    format === 'DHW' || format === 'CDHW' ? 'CDHW' : format === 'HW' || format === 'CHW' ? 'CHW' : undefined;
  if (!target) {
    throw new InvalidInputError(
      `${image.source}: cannot append channels to a ${format} image (channels-first or spatial formats only)`,
    );
  }
  for (const channel of channels) {
    if (channel.length !== spatialSize) {
      throw new InvalidInputError(
        `${image.source}: a new channel has ${channel.length} values, expected ${spatialSize}`,
      );
    }
  }
  const own = image.channels;
  const shape = [own + channels.length, ...image.spatialShape];
  budget.reserve(
    `${image.source}: ${describeArray(shape, 'float32')} with appended channels`,
    (own + channels.length) * spatialSize,
    4,
  );
  const out = new Float32Array((own + channels.length) * spatialSize);
  out.set(image.voxels);
  channels.forEach((channel, i) => out.set(channel, (own + i) * spatialSize));
  return image.with({ voxels: out, shape, shapeFormat: target });
}
