// The host of a plugin author's test: @aiaa/plugins-loader builds the model's pipeline from its config_aiaa.json,
// loading `threshold_inference.ThresholdInference` from <workspace>/lib, runs it on a CT and prints the mask's facts
// as one JSON line. Usage: node main.js WORKSPACE_DIR MODEL_DIR CT.nii.gz OUTPUT_DIR
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { TransformContext, readNifti } from '@aiaa/core';
import { createPipeline } from '@aiaa/plugins-loader';

async function main(): Promise<void> {
  const [workspaceDir, modelDir, ctPath, outputDir] = process.argv.slice(2);
  if (!workspaceDir || !modelDir || !ctPath || !outputDir) {
    throw new Error('usage: node main.js WORKSPACE_DIR MODEL_DIR CT.nii.gz OUTPUT_DIR');
  }
  const configJson: unknown = JSON.parse(await readFile(path.join(modelDir, 'config_aiaa.json'), 'utf8'));
  const pipeline = await createPipeline({
    modelName: path.basename(modelDir),
    configJson,
    modelDir,
    workspaceDir,
    engine: 'AIAA',
  });
  try {
    await mkdir(outputDir, { recursive: true });
    const ctx = new TransformContext({ params: {}, images: [['image', await readNifti(ctPath)]], outputDir });
    ctx.setProperty('image_path', ctPath);
    const result = await pipeline.run(ctx);
    const maskFile = result.ctx.writerOutput?.file;
    if (maskFile === undefined) {
      throw new Error('the config has a writer, yet no file was written');
    }
    const mask = await readNifti(maskFile);
    let foreground = 0;
    for (const value of mask.voxels) {
      foreground += value !== 0 ? 1 : 0;
    }
    const stages = pipeline.stages.map((stage) => `${stage.path} ${stage.name}`);
    console.log(JSON.stringify({ stages, shape: mask.shape, dtype: mask.dtype, foreground }));
  } finally {
    await pipeline.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
