import { InvalidInputError } from '../errors';
import { MAX_POINTS, readPoint, readPointList, readSizeList } from './points';

const six = [
  [1, 2, 3],
  [4, 5, 6],
  [0, 0, 0],
  [9, 9, 9],
  [2, 2, 2],
  [3, 3, 3],
];

describe('readPointList', () => {
  it('reads a list of [x, y, z] points', () => {
    expect(readPointList({ points: six }, 'points', { min: 6, sizeIjk: [10, 10, 10] })).toEqual(six);
  });

  it('reads the JSON string older clients send', () => {
    expect(readPointList({ points: JSON.stringify(six) }, 'points', { min: 6 })).toEqual(six);
  });

  it('rounds coordinates to the nearest voxel', () => {
    expect(readPointList({ foreground: [[1.4, 2.6, 0]] }, 'foreground')).toEqual([[1, 3, 0]]);
  });

  it('gives the default for an absent param', () => {
    expect(readPointList({}, 'background', { absent: [] })).toEqual([]);
  });

  describe('bad points', () => {
    function failure(params: Record<string, unknown>, min = 6): InvalidInputError {
      try {
        readPointList(params, 'points', { min, sizeIjk: [10, 10, 10] });
      } catch (error) {
        return error as InvalidInputError;
      }
      throw new Error('expected a failure');
    }

    it('rejects a param that is not a list', () => {
      const error = failure({ points: 7 });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('params.points: expected a list of [x, y, z] points, got 7');
    });

    it('rejects five points when six are needed', () => {
      const error = failure({ points: six.slice(0, 5) });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('params.points: expected at least 6 points, got 5');
    });

    it('rejects a point outside the image, naming its index', () => {
      const error = failure({ points: [...six.slice(0, 5), [3, 10, 0]] });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(
        'params.points[5]: [3, 10, 0] lies outside the image (0 ≤ x < 10, 0 ≤ y < 10, 0 ≤ z < 10)',
      );
      expect(failure({ points: [[-1, 0, 0]] }, 0).message).toMatch(/^params.points\[0\]: \[-1, 0, 0\] lies outside/);
    });

    it('rejects a point that is not three numbers', () => {
      expect(failure({ points: [[1, 2]] }, 0).message).toBe(
        'params.points[0]: expected [x, y, z] with 3 finite numbers, got [1,2]',
      );
      expect(failure({ points: [[1, 'a', 2]] }, 0).message).toMatch(/^params.points\[0\]: expected \[x, y, z\]/);
    });

    it('rejects a string that is not JSON', () => {
      const error = failure({ points: '[[1, 2, 3]' });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/^params.points: a string must hold JSON/);
    });

    it('rejects more points than the limit', () => {
      const many = Array.from({ length: MAX_POINTS + 1 }, () => [0, 0, 0]);
      expect(failure({ points: many }).message).toBe(
        `params.points: ${MAX_POINTS + 1} points exceed the limit of 1000`,
      );
    });

    it('rejects an absent param without a default', () => {
      expect(failure({}).message).toMatch(/^params.points is required/);
    });
  });
});

describe('readPoint', () => {
  it('reads [x, y, z] and the [[x, y, z]] Slicer sends', () => {
    expect(readPoint({ current_point: [1, 2, 3] }, 'current_point')).toEqual([1, 2, 3]);
    expect(readPoint({ current_point: [[1, 2, 3]] }, 'current_point')).toEqual([1, 2, 3]);
    expect(readPoint({}, 'current_point')).toBeUndefined();
  });

  it('names the param of a point outside the image', () => {
    expect(() => readPoint({ current_point: [1, 2, 30] }, 'current_point', [4, 4, 4])).toThrow(
      new InvalidInputError(
        'params.current_point: [1, 2, 30] lies outside the image (0 ≤ x < 4, 0 ≤ y < 4, 0 ≤ z < 4)',
      ),
    );
  });
});

describe('readSizeList', () => {
  it('reads sizes and refuses the wrong rank or non-integers', () => {
    expect(readSizeList({ spatial_size: [128, 192, 192] }, 'spatial_size', 3)).toEqual([128, 192, 192]);
    expect(readSizeList({}, 'spatial_size', 3)).toBeUndefined();
    expect(() => readSizeList({ spatial_size: [128, 192] }, 'spatial_size', 3)).toThrow(
      /^params.spatial_size: expected 3 integers in 1..4096, got \[128,192\]$/,
    );
    expect(() => readSizeList({ spatial_size: [1.5, 2] }, 'spatial_size', 2)).toThrow(InvalidInputError);
  });
});
