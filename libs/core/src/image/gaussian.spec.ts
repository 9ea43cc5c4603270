import { InvalidInputError } from '../errors';
import { addGaussianBumps, rescaleMinMax } from './gaussian';

describe('addGaussianBumps', () => {
  it('puts a peak of 1 at the centre and exp(-d²/2σ²) at distance d', () => {
    // 9×9×9 volume, centre (4, 4, 4), σ = 1: the 4σ cut-off reaches exactly the border.
    const out = new Float32Array(9 * 9 * 9);
    addGaussianBumps(out, [9, 9, 9], [[4, 4, 4]], [1, 1, 1]);
    const at = (x: number, y: number, z: number): number => out[(z * 9 + y) * 9 + x] as number;
    expect(at(4, 4, 4)).toBeCloseTo(1, 6);
    // d² = 1: exp(-0.5) = 0.60653066
    expect(at(5, 4, 4)).toBeCloseTo(0.60653066, 6);
    expect(at(4, 4, 3)).toBeCloseTo(0.60653066, 6);
    // d² = 1 + 4 + 4 = 9: exp(-4.5) = 0.011108997
    expect(at(5, 6, 6)).toBeCloseTo(0.011108997, 7);
    // the maximum is at the centre
    expect(out.indexOf(Math.max(...out))).toBe((4 * 9 + 4) * 9 + 4);
  });

  it('uses a sigma per axis', () => {
    const out = new Float32Array(1 * 5 * 7);
    addGaussianBumps(out, [1, 5, 7], [[3, 2, 0]], [2, 0.5, 9]);
    // x offset 2 with σx = 2: exp(-4/8) = 0.60653066; y offset 1 with σy = 0.5: exp(-1/0.5) = 0.13533528
    expect(out[2 * 7 + 5]).toBeCloseTo(0.60653066, 6);
    expect(out[3 * 7 + 3]).toBeCloseTo(0.13533528, 6);
    // the 2-D image ignores σz: the plane holds the full peak
    expect(out[2 * 7 + 3]).toBeCloseTo(1, 6);
  });

  it('adds overlapping bumps', () => {
    const out = new Float32Array(5);
    addGaussianBumps(
      out,
      [1, 1, 5],
      [
        [1, 0, 0],
        [3, 0, 0],
      ],
      [1, 1, 1],
    );
    // voxel 2 is at distance 1 from both: 2·exp(-0.5) = 1.21306132
    expect(out[2]).toBeCloseTo(1.21306132, 6);
    // voxel 1: 1 + exp(-2) = 1.13533528
    expect(out[1]).toBeCloseTo(1.13533528, 6);
  });

  it('gives the same field by boxes and by convolution (many centres)', () => {
    const dhw: [number, number, number] = [6, 7, 8];
    const centres: [number, number, number][] = [];
    for (let i = 0; i < 400; i++) {
      centres.push([(i * 5) % 8, (i * 3) % 7, (i * 7) % 6]);
    }
    const convolved = new Float32Array(6 * 7 * 8);
    addGaussianBumps(convolved, dhw, centres, [2, 2, 2]);
    const boxed = new Float32Array(6 * 7 * 8);
    for (const c of centres) {
      addGaussianBumps(boxed, dhw, [c], [2, 2, 2]);
    }
    for (let i = 0; i < boxed.length; i++) {
      expect(convolved[i]).toBeCloseTo(boxed[i] as number, 3);
    }
  });

  describe('bad input', () => {
    it('rejects a non-positive sigma, naming sigma', () => {
      expect(() => addGaussianBumps(new Float32Array(1), [1, 1, 1], [[0, 0, 0]], [0, 1, 1])).toThrow(InvalidInputError);
      expect(() => addGaussianBumps(new Float32Array(1), [1, 1, 1], [[0, 0, 0]], [0, 1, 1])).toThrow(/sigma/);
    });

    it('rejects a centre outside the grid', () => {
      expect(() => addGaussianBumps(new Float32Array(8), [2, 2, 2], [[2, 0, 0]], [1, 1, 1])).toThrow(
        /centre \[2, 0, 0\] is not a voxel of a 2×2×2 grid/,
      );
    });
  });
});

describe('rescaleMinMax', () => {
  it('maps the minimum to lo and the maximum to hi', () => {
    const values = Float32Array.from([0, 0.5, 2]);
    rescaleMinMax(values, -1, 1);
    expect(Array.from(values)).toEqual([-1, -0.5, 1]);
  });

  it('maps a constant positive array to hi and an empty field to lo', () => {
    const one = Float32Array.from([1]);
    rescaleMinMax(one, -1, 1);
    expect(Array.from(one)).toEqual([1]);
    const none = new Float32Array(3);
    rescaleMinMax(none, -1, 1);
    expect(Array.from(none)).toEqual([-1, -1, -1]);
  });
});
