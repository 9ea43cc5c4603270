import { InvalidInputError } from '../errors';
import { makeImage } from '../testing';
import { appendChannels } from './append-channels';

describe('appendChannels', () => {
  it('turns a DHW image into CDHW with the image as channel 0', () => {
    const out = appendChannels(makeImage(Int16Array.from([1, 2]), [1, 1, 2]), [Float32Array.from([0.5, 0.25])]);
    expect(out.shapeFormat).toBe('CDHW');
    expect(out.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(out.voxels)).toEqual([1, 2, 0.5, 0.25]);
  });

  it('appends after the existing channels of a CHW image', () => {
    const image = makeImage(Float32Array.from([1, 2, 3, 4]), [2, 1, 2], 'CHW');
    const out = appendChannels(image, [Float32Array.from([5, 6]), Float32Array.from([7, 8])]);
    expect(out.shape).toEqual([4, 1, 2]);
    expect(Array.from(out.voxels)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  describe('bad input', () => {
    it('refuses channels-last images', () => {
      const image = makeImage(new Float32Array(4), [1, 2, 2], 'HWC');
      expect(() => appendChannels(image, [new Float32Array(2)])).toThrow(InvalidInputError);
      expect(() => appendChannels(image, [new Float32Array(2)])).toThrow(/HWC/);
    });

    it('refuses a channel of the wrong length', () => {
      expect(() => appendChannels(makeImage(new Float32Array(4), [1, 2, 2]), [new Float32Array(3)])).toThrow(
        /3 values, expected 4/,
      );
    });
  });
});
