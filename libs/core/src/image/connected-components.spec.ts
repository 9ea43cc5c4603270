import { InvalidInputError } from '../errors';
import { keepLargestComponents, labelComponents } from './connected-components';

describe('labelComponents', () => {
  it('numbers runs along a line in raster order with their sizes', () => {
    const { labels, count, sizes } = labelComponents(Uint8Array.from([1, 1, 0, 1, 1, 1, 0, 1]), [1, 1, 8]);
    expect(count).toBe(3);
    expect(Array.from(labels)).toEqual([1, 1, 0, 2, 2, 2, 0, 3]);
    expect(Array.from(sizes)).toEqual([0, 2, 3, 1]);
  });

  it('merges two provisional labels that meet at the bottom of a U', () => {
    // 1 0 1 / 1 0 1 / 1 1 1: the right arm starts its own label and joins at the last voxel.
    const u = Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1, 1]);
    const { labels, count, sizes } = labelComponents(u, [3, 3], 6);
    expect(count).toBe(1);
    expect(Array.from(labels)).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 1]);
    expect(sizes[1]).toBe(7);
  });

  it('joins diagonal neighbours under 26 (8 in-plane) but not under 6', () => {
    const diagonal = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(labelComponents(diagonal, [3, 3], 6).count).toBe(3);
    expect(labelComponents(diagonal, [3, 3], 18).count).toBe(1);
    expect(labelComponents(diagonal, [3, 3], 26).count).toBe(1);
  });

  it('tells faces, edges and corners apart in 3-D', () => {
    // 2×2×2: (z, y, x) = (0, 0, 0) with (1, 1, 1) touch at a corner; with (0, 1, 1) along an edge.
    const corner = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1]);
    expect(labelComponents(corner, [2, 2, 2], 18).count).toBe(2);
    expect(labelComponents(corner, [2, 2, 2], 26).count).toBe(1);
    const edge = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0]);
    expect(labelComponents(edge, [2, 2, 2], 6).count).toBe(2);
    expect(labelComponents(edge, [2, 2, 2], 18).count).toBe(1);
  });

  it('does not wrap around a row end', () => {
    // Last voxel of row 0 and first of row 1 are adjacent in memory, not in space.
    const { count } = labelComponents(Uint8Array.from([0, 0, 1, 1, 0, 0]), [2, 3], 26);
    expect(count).toBe(2);
  });

  it('keeps different label values apart even where they touch', () => {
    const { count, values } = labelComponents(Int16Array.from([1, 1, 2, 2, 1]), [1, 5]);
    expect(count).toBe(3);
    expect(Array.from(values)).toEqual([0, 1, 2, 1]);
  });

  it('grows its union-find table past the initial size', () => {
    // A checkerboard under 6-connectivity: every foreground voxel is its own component.
    const side = 64;
    const board = Uint8Array.from({ length: side * side }, (_, i) => ((i % side) + Math.floor(i / side)) % 2);
    expect(labelComponents(board, [side, side], 6).count).toBe((side * side) / 2);
  });

  describe('bad input', () => {
    it('rejects a shape that does not hold the voxels', () => {
      expect(() => labelComponents(new Uint8Array(7), [2, 2, 2])).toThrow(InvalidInputError);
      expect(() => labelComponents(new Uint8Array(7), [2, 2, 2])).toThrow(/spatial shape \[2, 2, 2\]/);
    });
  });
});

describe('keepLargestComponents', () => {
  // Line: 1 1 | 0 | 2 | 1 | 2 2 2 → label 1 has runs of 2 and 1, label 2 runs of 1 and 3.
  const line = Uint8Array.from([1, 1, 0, 2, 1, 2, 2, 2]);

  it('keeps the largest component of each label value', () => {
    expect(Array.from(keepLargestComponents(line, [1, 1, 8]))).toEqual([1, 1, 0, 0, 0, 2, 2, 2]);
  });

  it('leaves labels outside appliedLabels untouched', () => {
    const out = keepLargestComponents(line, [1, 1, 8], { appliedLabels: [1] });
    expect(Array.from(out)).toEqual([1, 1, 0, 2, 0, 2, 2, 2]);
  });

  it('treats all labels as one foreground when not independent', () => {
    // Foreground runs: {0, 1} and {3..7}; the second (mixed labels) survives whole.
    const out = keepLargestComponents(line, [1, 1, 8], { independent: false });
    expect(Array.from(out)).toEqual([0, 0, 0, 2, 1, 2, 2, 2]);
  });

  it('keeps the first of two equal components and the dtype', () => {
    const out = keepLargestComponents(Float32Array.from([3, 0, 3]), [1, 3]);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([3, 0, 0]);
  });

  it('uses the connectivity it is given', () => {
    // Three voxels touching only at corners: one component under 26, three singletons under 6.
    const plane = Uint8Array.from([1, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(keepLargestComponents(plane, [3, 3], { connectivity: 26 }))).toEqual(Array.from(plane));
    expect(Array.from(keepLargestComponents(plane, [3, 3], { connectivity: 6 }))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
