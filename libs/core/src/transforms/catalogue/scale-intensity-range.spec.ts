import { makeImage } from '../../testing';
import { VOXEL_CHUNK } from '../../image/dtype';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

async function window(voxels: ArrayLike<number> & { length: number }, args: Record<string, unknown>) {
  const image = makeImage(voxels as Int16Array, [1, 1, voxels.length]);
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry
    .build({ name: 'ScaleIntensityRange', args: { fields: 'image', ...args } }, 'pre_transforms[0]')
    .apply(ctx);
  return ctx.getImage('image');
}

describe('ScaleIntensityRange', () => {
  it('maps [a_min, a_max] to [b_min, b_max] without clipping: values outside the window go past b', async () => {
    // CT window [-1000, 1000] → [0, 1]: (v + 1000) / 2000.
    const out = await window(Int16Array.from([-3000, -1000, 0, 500, 1000, 3000]), {
      a_min: -1000,
      a_max: 1000,
      b_min: 0,
      b_max: 1,
    });
    expect(Array.from(out.voxels)).toEqual([-1, 0, 0.5, 0.75, 1, 2]);
    expect(out.dtype).toBe('float32');
  });

  it('clips to the b range also when b_min > b_max (an inverted window)', async () => {
    // [0, 100] → [1, -1]: 1 - v / 50, then clipped to [-1, 1].
    const out = await window(Float64Array.from([-50, 0, 25, 100, 400]), {
      a_min: 0,
      a_max: 100,
      b_min: 1,
      b_max: -1,
      clip: true,
    });
    expect(Array.from(out.voxels)).toEqual([1, 1, 0.5, -1, -1]);
  });

  it('windows float32 and int16 volumes alike (the resampled and the raw CT), clipping and keeping NaN', async () => {
    // [-57, 164] → [0, 1] clipped: (v + 57) / 221.
    const args = { a_min: -57, a_max: 164, b_min: 0, b_max: 1, clip: true };
    const values = [-1024, -57, 53.5, 164, 3071];
    const expected = [0, 0, 0.5, 1, 1];
    const fromFloat = await window(Float32Array.from(values), args);
    const fromInt = await window(Int16Array.from([-1024, -57, 54, 164, 3071]), args);
    expect(Array.from(fromFloat.voxels)).toEqual(expected);
    expect(Array.from(fromInt.voxels).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 0, 0.502, 1, 1]);
    expect(Number.isNaN((await window(Float32Array.from([NaN]), args)).voxels[0])).toBe(true);
  });

  it('scales every voxel of a volume spanning several chunks, unsigned and 32-bit inputs alike', async () => {
    const count = VOXEL_CHUNK * 2 + 7;
    for (const make of [(n: number) => new Uint16Array(n), (n: number) => new Int32Array(n)]) {
      const voxels = make(count);
      for (let i = 0; i < count; i++) {
        voxels[i] = i % 1000;
      }
      const out = await window(voxels, { a_min: 0, a_max: 1000, b_min: 0, b_max: 10 });
      for (const i of [0, 999, VOXEL_CHUNK - 1, VOXEL_CHUNK, VOXEL_CHUNK + 1, 2 * VOXEL_CHUNK, count - 1]) {
        expect(out.voxels[i]).toBeCloseTo((i % 1000) / 100, 5);
      }
    }
  });

  it('refuses a_min equal to a_max when the model loads, naming the field', () => {
    expect(() =>
      registry.build(
        { name: 'ScaleIntensityRange', args: { a_min: 5, a_max: 5, b_min: 0, b_max: 1 } },
        'pre_transforms[1]',
      ),
    ).toThrow(/pre_transforms\[1\] ScaleIntensityRange: a_max: must differ from a_min/);
  });
});
