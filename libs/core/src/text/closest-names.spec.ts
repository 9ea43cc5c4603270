import { closestNames, didYouMean, editDistance } from './closest-names';

describe('closest names, for "did you mean"', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('post_transform', 'post_transforms')).toBe(1);
    expect(editDistance('clipp', 'clip')).toBe(1);
    expect(editDistance('lcip', 'clip')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the key a misspelling was meant to be, and nothing for a word far from every key', () => {
    const keys = ['pre_transforms', 'post_transforms', 'writer', 'inference', 'labels', 'type'];
    expect(didYouMean('post_transform', keys)).toBe('post_transforms');
    expect(didYouMean('Labels', keys)).toBe('labels');
    expect(didYouMean('checkpoint', keys)).toBeUndefined();
  });

  it('ranks transform names by their last segment, so a MONAI path finds the catalogue name', () => {
    const names = [
      'ScaleIntensityRange',
      'ScaleIntensityRanged',
      'monai.transforms.ScaleIntensityRanged',
      'Resized',
      'KeepLargestCC',
    ];
    // A tie on the last segment goes to the name written the same way (here the MONAI path).
    expect(closestNames('monai.transforms.ScaleIntensityd', names, 3)).toEqual([
      'monai.transforms.ScaleIntensityRanged',
      'ScaleIntensityRange',
      'ScaleIntensityRanged',
    ]);
  });
});
