import { scalingAffine } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { labelVolumes, volumeTable } from './label-volumes';

describe('labelVolumes', () => {
  it('counts each label value and sizes it by the voxel size of the image', () => {
    // 2 × 1 × 4 mm voxels = 8 µL each
    const labels = makeImage(Uint8Array.from([0, 0, 0, 2, 2, 5]), [1, 2, 3], 'DHW', scalingAffine([2, 1, 4]));
    expect(labelVolumes(labels)).toEqual([
      { label: 0, voxels: 3, mL: 0.024 },
      { label: 2, voxels: 2, mL: 0.016 },
      { label: 5, voxels: 1, mL: 0.008 },
    ]);
  });

  it('is undefined for images that are not label maps', () => {
    expect(labelVolumes(makeImage(Float32Array.from([0, 1]), [1, 1, 2]))).toBeUndefined();
    expect(labelVolumes(makeImage(Int16Array.from([0, -1]), [1, 1, 2]))).toBeUndefined();
    expect(labelVolumes(makeImage(Int32Array.from([0, 70_000]), [1, 1, 2]))).toBeUndefined();
  });
});

describe('volumeTable', () => {
  it('names value n by labels[n − 1] and 0 as the background, one line each', () => {
    const table = volumeTable(
      [
        { label: 0, voxels: 1, mL: 15523.464 },
        { label: 1, voxels: 1, mL: 518.54 },
        { label: 2, voxels: 1, mL: 735.212 },
        { label: 3, voxels: 1, mL: 1 },
      ],
      ['white matter', 'grey matter'],
    );
    expect(table.split('\n')).toEqual([
      '    0  background      15523.5 mL',
      '    1  white matter      518.5 mL',
      '    2  grey matter       735.2 mL',
      '    3                      1.0 mL',
    ]);
  });
});
