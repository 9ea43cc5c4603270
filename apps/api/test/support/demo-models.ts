import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPO_ROOT } from './server-process';

/** The demo models the repository ships, each as its version 1 in `workspace/models/<name>/1/`. */
export const DEMO_MODEL_NAMES = ['annotation_ct_dextr3d', 'body_bone_ct', 'deepgrow_ct_window', 'spleen_ct_threshold'];

/** The files of a shipped demo version, named one by one. */
const DEMO_FILES = ['config_aiaa.json', 'model.onnx'];

/** The trained brain MRI models the repository ships beside the demos, each file of their version 1 named. */
export const BRAIN_MODEL_FILES: Readonly<Record<string, readonly string[]>> = {
  brain_mri_meshnet_gwm: ['config_aiaa.json', 'niivue_meshnet_gwm.onnx', 'NOTICE.md'],
  brain_mri_skullstrip_mindgrab: ['config_aiaa.json', 'brainchop_mindgrab_skullstrip.onnx', 'NOTICE.md'],
  brain_mri_subcortical_18cls: ['config_aiaa.json', 'brainchop_subcortical_gwm_18cls.onnx', 'NOTICE.md'],
};

/** The shipped folder of a demo model's version 1. */
export function demoModelDir(name: string): string {
  return path.join(REPO_ROOT, 'workspace', 'models', name, '1');
}

/**
 * Copies the shipped files of demo models into `<workspace>/models/<name>/1/` of a test's own workspace. Only the
 * files the repository ships are copied: what a user uploaded into the checkout (other versions, other models) never
 * reaches a test.
 */
export async function copyDemoModels(workspace: string, names: readonly string[] = DEMO_MODEL_NAMES): Promise<void> {
  for (const name of names) {
    await copyVersionFiles(workspace, name, DEMO_FILES);
  }
}

/** Copies every model a fresh clone has, the demos and the brain MRI models, as {@link copyDemoModels} does. */
export async function copyShippedModels(workspace: string): Promise<void> {
  await copyDemoModels(workspace);
  for (const [name, files] of Object.entries(BRAIN_MODEL_FILES)) {
    await copyVersionFiles(workspace, name, files);
  }
}

async function copyVersionFiles(workspace: string, name: string, files: readonly string[]): Promise<void> {
  const target = path.join(workspace, 'models', name, '1');
  await fs.mkdir(target, { recursive: true });
  for (const file of files) {
    await fs.copyFile(path.join(demoModelDir(name), file), path.join(target, file));
  }
}
