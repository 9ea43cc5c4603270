import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPO_ROOT } from './server-process';

/** The demo models the repository ships, each as its version 1 in `workspace/models/<name>/1/`. */
export const DEMO_MODEL_NAMES = ['annotation_ct_dextr3d', 'body_bone_ct', 'deepgrow_ct_window', 'spleen_ct_threshold'];

/** The files of a shipped demo version, named one by one. */
const DEMO_FILES = ['config_aiaa.json', 'model.onnx'];

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
    const target = path.join(workspace, 'models', name, '1');
    await fs.mkdir(target, { recursive: true });
    for (const file of DEMO_FILES) {
      await fs.copyFile(path.join(demoModelDir(name), file), path.join(target, file));
    }
  }
}
