import { CATALOGUE, TransformContext, TransformRegistry, MedicalImage } from '@aiaa/core';
const registry = new TransformRegistry(CATALOGUE);
const [d, h, w] = [300, 512, 512];
const n = d * h * w;
const ct = new Int16Array(n);
for (let i = 0; i < n; i++) ct[i] = (((i * 2654435761) >>> 20) % 2000) - 1000;
const image = new MedicalImage({ voxels: ct, shape: [d, h, w], shapeFormat: 'DHW' });
const scores = new Float32Array(2 * n);
for (let i = 0; i < 2 * n; i++) scores[i] = (((i * 2654435761) >>> 16) % 1000) / 100 - 5;
const model = new MedicalImage({ voxels: scores, shape: [2, d, h, w], shapeFormat: 'CDHW' });
const label = new Uint8Array(n);
for (let z = 100; z < 200; z++)
  for (let y = 100; y < 300; y++) for (let x = 100; x < 300; x++) label[(z * h + y) * w + x] = 1;
const labelImage = new MedicalImage({ voxels: label, shape: [d, h, w], shapeFormat: 'DHW' });
async function time(
  name: string,
  spec: { name: string; args: Record<string, unknown> },
  key: string,
  img: MedicalImage,
) {
  const t = registry.build(spec, 'bench');
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const ctx = new TransformContext({ images: [[key, img]] });
    const t0 = performance.now();
    await t.apply(ctx);
    best = Math.min(best, performance.now() - t0);
  }
  const mb = img.voxels.byteLength / 1e6;
  console.log(
    `${name.padEnd(40)} ${best.toFixed(0).padStart(6)} ms  ${(mb / best).toFixed(2)} GB/s of input (${mb.toFixed(0)} MB)`,
  );
}
(async () => {
  await time('NormalizeNonzeroIntensities int16', { name: 'NormalizeNonzeroIntensities', args: {} }, 'image', image);
  await time('NormalizeIntensityd int16', { name: 'NormalizeIntensityd', args: {} }, 'image', image);
  await time('ArgmaxAcrossChannels 2ch f32', { name: 'ArgmaxAcrossChannels', args: {} }, 'model', model);
  await time('Activations softmax 2ch f32', { name: 'Activations', args: { softmax: true } }, 'model', model);
  await time('Activations sigmoid 2ch f32', { name: 'Activations', args: { sigmoid: true } }, 'model', model);
  await time('AsDiscreted threshold 2ch f32', { name: 'AsDiscreted', args: { threshold: 0.5 } }, 'model', model);
  await time('ConvertToChannelsFirst int16', { name: 'ConvertToChannelsFirst', args: {} }, 'image', image);
  await time('KeepLargestCC uint8', { name: 'KeepLargestCC', args: {} }, 'model', labelImage);
  await time('SplitBasedOnLabel uint8', { name: 'SplitBasedOnLabel', args: {} }, 'model', labelImage);
  await time(
    'ScaleByResolution 1→0.8 mm lin int16',
    { name: 'ScaleByResolution', args: { target_resolution: [0.8, 0.8, 0.8] } },
    'image',
    image.with({ shape: [150, 512, 512], voxels: ct.subarray(0, 150 * 512 * 512) }),
  );
})();
