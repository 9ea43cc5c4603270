import fc from 'fast-check';
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
    // 256×256: 32 768 one-voxel runs, twice the run table's first size.
    const side = 256;
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

/**
 * An independent labeller: breadth-first flood fill from each unvisited voxel, neighbours by |dz|+|dy|+|dx| hops.
 * Returns, per voxel, the set of voxels of its component (as the component's smallest index) — numbering-free.
 */
function floodFill(
  voxels: ArrayLike<number>,
  [d, h, w]: readonly [number, number, number],
  connectivity: 6 | 18 | 26,
): Int32Array {
  const maxHops = connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const rep = new Int32Array(voxels.length).fill(-1);
  for (let start = 0; start < voxels.length; start++) {
    if (voxels[start] === 0 || rep[start] !== -1) {
      continue;
    }
    const queue = [start];
    rep[start] = start;
    while (queue.length > 0) {
      const v = queue.pop() as number;
      const [z, y, x] = [Math.floor(v / (h * w)), Math.floor(v / w) % h, v % w];
      for (let dz = -1; dz <= 1; dz++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const hops = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
            const [nz, ny, nx] = [z + dz, y + dy, x + dx];
            if (hops === 0 || hops > maxHops || nz < 0 || ny < 0 || nx < 0 || nz >= d || ny >= h || nx >= w) {
              continue;
            }
            const u = (nz * h + ny) * w + nx;
            if (rep[u] === -1 && voxels[u] === voxels[start]) {
              rep[u] = start;
              queue.push(u);
            }
          }
        }
      }
    }
  }
  return rep;
}

describe('labelComponents against a flood fill (fast-check)', () => {
  it('finds the same components on random volumes, for every connectivity and dtype', () => {
    const volume = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 8 }))
      .chain(([d, h, w]) =>
        fc.record({
          dhw: fc.constant([d, h, w] as const),
          values: fc.array(fc.constantFrom(0, 0, 1, 2, 300), { minLength: d * h * w, maxLength: d * h * w }),
          connectivity: fc.constantFrom(6 as const, 18 as const, 26 as const),
          dtype: fc.constantFrom('uint8', 'int32'),
        }),
      );
    fc.assert(
      fc.property(volume, ({ dhw, values, connectivity, dtype }) => {
        const voxels = dtype === 'uint8' ? Uint8Array.from(values, (v) => v % 256) : Int32Array.from(values);
        const { labels, count, sizes, values: componentValues } = labelComponents(voxels, dhw, connectivity);
        const rep = floodFill(voxels, dhw, connectivity);
        // Same partition: two voxels share a label exactly when they share a flood-fill component.
        const labelOfRep = new Map<number, number>();
        for (let i = 0; i < voxels.length; i++) {
          if (voxels[i] === 0) {
            expect(labels[i]).toBe(0);
            continue;
          }
          const known = labelOfRep.get(rep[i] as number);
          if (known === undefined) {
            labelOfRep.set(rep[i] as number, labels[i] as number);
          } else {
            expect(labels[i]).toBe(known);
          }
          expect(componentValues[labels[i] as number]).toBe(voxels[i]);
        }
        expect(new Set(labelOfRep.values()).size).toBe(labelOfRep.size);
        expect(count).toBe(labelOfRep.size);
        expect(
          Array.from(sizes)
            .slice(1)
            .reduce((a, b) => a + b, 0),
        ).toBe(voxels.filter((v) => v !== 0).length);
      }),
      { numRuns: 300 },
    );
  });

  it('keepLargestComponents keeps, per value, the largest flood-fill component (the first of equals)', () => {
    const volume = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }))
      .chain(([d, h, w]) =>
        fc.record({
          dhw: fc.constant([d, h, w] as const),
          values: fc.array(fc.constantFrom(0, 0, 1, 2), { minLength: d * h * w, maxLength: d * h * w }),
          connectivity: fc.constantFrom(6 as const, 18 as const, 26 as const),
        }),
      );
    fc.assert(
      fc.property(volume, ({ dhw, values, connectivity }) => {
        const voxels = Uint8Array.from(values);
        const rep = floodFill(voxels, dhw, connectivity);
        const size = new Map<number, number>();
        for (let i = 0; i < voxels.length; i++) {
          if (voxels[i] !== 0) {
            size.set(rep[i] as number, (size.get(rep[i] as number) ?? 0) + 1);
          }
        }
        // Representatives are first voxels, so ascending order is raster order: the first of equals wins.
        const best = new Map<number, number>();
        for (const [r, n] of [...size].sort((a, b) => a[0] - b[0])) {
          const current = best.get(voxels[r] as number);
          if (current === undefined || n > (size.get(current) as number)) {
            best.set(voxels[r] as number, r);
          }
        }
        const kept = new Set(best.values());
        const expected = Array.from(voxels, (v, i) => (v !== 0 && kept.has(rep[i] as number) ? v : 0));
        expect(Array.from(keepLargestComponents(voxels, dhw, { connectivity }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('codes more than 256 label values (a uint16 code map) and keeps each value', () => {
    // 300 isolated voxels along x (every other voxel), values 1..300.
    const voxels = new Int32Array(600);
    for (let i = 0; i < 300; i++) {
      voxels[2 * i] = i + 1;
    }
    const { count, values } = labelComponents(voxels, [1, 1, 600], 26);
    expect(count).toBe(300);
    expect(Array.from(values).slice(1)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
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
