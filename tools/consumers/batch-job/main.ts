// A batch job written outside this repository against the installed packages, as another team would write one: it
// reads a CT, runs an AIAA model folder (config_aiaa.json and model.onnx) with the transforms its config names on
// onnxruntime, lets the config's writer write the mask, and prints what it found as one JSON line.
// Usage: node main.js MODEL_DIR CT.nii.gz LABEL.nii.gz OUTPUT_DIR
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CATALOGUE, TransformContext, TransformRegistry, readNifti } from '@aiaa/core';
import { ModelConfig, ModelPipeline, NativeInference, OnnxEngine } from '@aiaa/inference';

const [modelDir, ctPath, labelPath, outputDir] = process.argv.slice(2);
if (!modelDir || !ctPath || !labelPath || !outputDir) {
  throw new Error('usage: node main.js MODEL_DIR CT.nii.gz LABEL.nii.gz OUTPUT_DIR');
}

const configJson: unknown = JSON.parse(await readFile(path.join(modelDir, 'config_aiaa.json'), 'utf8'));
const config = ModelConfig.parse(configJson, {
  engine: 'AIAA',
  name: path.basename(modelDir),
  modelPath: path.join(modelDir, 'model.onnx'),
});
const engine = new OnnxEngine({ intraOpNumThreads: 1 });
const pipeline = await ModelPipeline.load({
  config,
  registry: new TransformRegistry(CATALOGUE),
  resolveInference: () => NativeInference.create({ engine, config }),
  onClose: () => engine.close(),
});
try {
  const ct = await readNifti(ctPath);
  await mkdir(outputDir, { recursive: true });
  const ctx = new TransformContext({ params: {}, images: [['image', ct]], outputDir });
  ctx.setProperty('image_path', ctPath);
  const result = await pipeline.run(ctx);
  const maskFile = result.ctx.writerOutput?.file;
  if (maskFile === undefined) {
    throw new Error('the config has a writer, yet no file was written');
  }
  const mask = await readNifti(maskFile);
  const label = await readNifti(labelPath);
  let foreground = 0;
  let insideLabel = 0;
  for (let i = 0; i < mask.voxels.length; i++) {
    if (mask.voxels[i] !== 0) {
      foreground++;
      insideLabel += label.voxels[i] !== 0 ? 1 : 0;
    }
  }
  const summary = {
    stages: pipeline.stages.map((stage) => `${stage.path} ${stage.name}`),
    maskFile: path.relative(outputDir, maskFile),
    shape: mask.shape,
    dtype: mask.dtype,
    affine: Array.from(mask.affine),
    foreground,
    insideLabel,
  };
  console.log(JSON.stringify(summary));
} finally {
  await pipeline.close();
}
