// What the MONAI Label specs share: a workspace with the demo models, the client script, the spleen CT geometry.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/server-process';

/** The client script that plays MONAI Label's Python client and 3D Slicer's module. */
export const CLIENT_SCRIPT = path.join(__dirname, '..', 'fixtures', 'monailabel_client_session.py');
export const SPLEEN_CT = path.join(REPO_ROOT, 'samples', 'spleen_8_ct.nii.gz');
export const SPLEEN_LABEL = path.join(REPO_ROOT, 'samples', 'spleen_8_label.nii.gz');

/**
 * The spleen CT's voxel → RAS+ affine as nibabel 5.0 reads it (sform, code 2; `shared/data/expected.json`), rows.
 * An LAS volume: i runs right to left.
 */
export const SPLEEN_AFFINE = [
  [-0.7851560115814209, 0, 0, 200.60736083984375],
  [0, 0.7851560115814209, 0, -200.60736083984375],
  [0, 0, 7.5, -112.5],
];

/** Copies the shipped files of demo models into `workspace` (registered from their folders at boot). */
export { copyDemoModels } from '../support/demo-models';

/** Runs the client script in `mode` against `base`; resolves with its JSON report. */
export function runClientScript(mode: 'slicer' | 'session', base: string, workdir: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [CLIENT_SCRIPT, mode, base, workdir, SPLEEN_CT, SPLEEN_LABEL],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(JSON.parse(out))),
    );
  });
}
