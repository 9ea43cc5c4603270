import type { TransformDefinition } from '../transform';
import { scaleIntensityRange } from './scale-intensity-range';
import { convertToChannelsFirst } from './convert-to-channels-first';
import { scaleByResolution } from './scale-by-resolution';

import { normalizeIntensity, normalizeNonzeroIntensities } from './normalize-nonzero-intensities';
import { argmaxAcrossChannelsTransform } from './argmax-across-channels';
import { activations } from './activations';
import { asDiscrete } from './as-discrete';
import { fetchExtremePoints } from './fetch-extreme-points';
import { boundingBox } from './bounding-box';
import { keepLargestCC } from './keep-largest-cc';
import { copyProperties } from './copy-properties';
import { splitBasedOnLabel } from './split-based-on-label';
import { restoreOriginalShape } from './restore-original-shape';
import { writeNiftiTransform } from './write-nifti';
import { writer } from './writer';
import { cropByExtremePoints } from './crop-by-extreme-points';
import { addExtremePointsChannel } from './add-extreme-points-channel';
import { loadNifti } from './load-nifti';
import { addGuidanceFromPoints } from './add-guidance-from-points';
import { fetch2DSlice } from './fetch-2d-slice';
import { spatialCropGuidance } from './spatial-crop-guidance';
import { resizeGuidance } from './resize-guidance';
import { addGuidanceSignal } from './add-guidance-signal';
import { toTensor } from './to-tensor';
import { squeezeDim } from './squeeze-dim';
import { asChannelLast } from './as-channel-last';
import { resize } from './resize';
import { scaleIntensity } from './scale-intensity';
import { orientation } from './orientation';
import { spatialPad } from './spatial-pad';
import { centerSpatialCrop } from './center-spatial-crop';
import { resizeWithPadOrCrop } from './resize-with-pad-or-crop';
/** Every built-in transform, listed once. A new transform is one file plus one line here. */
export const CATALOGUE: readonly TransformDefinition<unknown>[] = [
  scaleIntensityRange,
  convertToChannelsFirst,
  scaleByResolution,
  normalizeNonzeroIntensities,
  normalizeIntensity,
  argmaxAcrossChannelsTransform,
  activations,
  asDiscrete,
  fetchExtremePoints,
  boundingBox,
  keepLargestCC,
  copyProperties,
  splitBasedOnLabel,
  restoreOriginalShape,
  writeNiftiTransform,
  writer,
  cropByExtremePoints,
  addExtremePointsChannel,
  loadNifti,
  addGuidanceFromPoints,
  fetch2DSlice,
  spatialCropGuidance,
  resizeGuidance,
  addGuidanceSignal,
  toTensor,
  squeezeDim,
  asChannelLast,
  resize,
  scaleIntensity,
  orientation,
  spatialPad,
  centerSpatialCrop,
  resizeWithPadOrCrop,
];
