import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPO_ROOT } from './server-process';

/** The demo models the repository ships, each as its version 1 in `workspace/models/<name>/1/`. */
export const DEMO_MODEL_NAMES = ['annotation_ct_dextr3d', 'body_bone_ct', 'deepgrow_ct_window', 'spleen_ct_threshold'];

/** The trained brain MRI models the repository ships beside the demos, also as version 1. */
export const BRAIN_MODEL_NAMES = [
  'brain_mri_meshnet_gwm',
  'brain_mri_skullstrip_mindgrab',
  'brain_mri_subcortical_18cls',
];

/** Every model folder git tracks in `workspace/models`. */
export const SHIPPED_MODEL_NAMES = [...DEMO_MODEL_NAMES, ...BRAIN_MODEL_NAMES];

/** What the server writes into a version folder at boot (git ignores it): never part of a shipped model. */
const SERVER_WRITTEN = new Set(['version.json']);

/** The shipped folder of a model's version 1. */
export function demoModelDir(name: string): string {
  return path.join(REPO_ROOT, 'workspace', 'models', name, '1');
}

/** The files a shipped model's version 1 holds in the repository (config, network, notice). */
export async function shippedFiles(name: string): Promise<string[]> {
  const entries = await fs.readdir(demoModelDir(name), { withFileTypes: true });
  return entries.filter((e) => e.isFile() && !SERVER_WRITTEN.has(e.name)).map((e) => e.name);
}

/**
 * Copies the shipped files of models into `<workspace>/models/<name>/1/` of a test's own workspace. Only version 1's
 * files are copied: what a user uploaded into the checkout (other versions, other models) never reaches a test.
 */
export async function copyDemoModels(workspace: string, names: readonly string[] = DEMO_MODEL_NAMES): Promise<void> {
  for (const name of names) {
    const target = path.join(workspace, 'models', name, '1');
    await fs.mkdir(target, { recursive: true });
    for (const file of await shippedFiles(name)) {
      await fs.copyFile(path.join(demoModelDir(name), file), path.join(target, file));
    }
  }
}
