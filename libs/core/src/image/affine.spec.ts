import { applyMat4, invertMat4, mat4FromRows, mat4ToRows, multiplyMat4, spacingFromAffine } from './affine';

// The spleen CT's affine as nibabel reports it (../shared/data/expected.json).
const ct = mat4FromRows([
  [-0.7851560115814209, 0, 0, 200.60736083984375],
  [0, 0.7851560115814209, 0, -200.60736083984375],
  [0, 0, 7.5, -112.5],
  [0, 0, 0, 1],
]);

describe('affine', () => {
  it('maps voxel (0,0,0) to the translation and (511,511,31) to the far corner', () => {
    expect(applyMat4(ct, [0, 0, 0])).toEqual([200.60736083984375, -200.60736083984375, -112.5]);
    const far = applyMat4(ct, [511, 511, 31]);
    expect(far[0]).toBeCloseTo(200.60736083984375 - 511 * 0.7851560115814209, 9);
    expect(far[2]).toBeCloseTo(120, 9);
  });

  it('inverts so that A · A⁻¹ is the identity', () => {
    const product = mat4ToRows(multiplyMat4(ct, invertMat4(ct)));
    product.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(r === c ? 1 : 0, 12)));
  });

  it('reads voxel sizes from column norms, also for rotated axes', () => {
    const rotated = mat4FromRows([
      [0, 0, 3, 0],
      [2, 0, 0, 0],
      [0, -1, 0, 0],
      [0, 0, 0, 1],
    ]);
    expect(spacingFromAffine(rotated)).toEqual([2, 1, 3]);
  });

  it('refuses to invert a singular matrix', () => {
    expect(() => invertMat4(mat4FromRows([[1], [0], [0], [0, 0, 0, 1]]))).toThrow(/singular/);
  });
});
