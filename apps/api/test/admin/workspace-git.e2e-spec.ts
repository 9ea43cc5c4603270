import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BRAIN_MODEL_NAMES, DEMO_MODEL_NAMES } from '../support/demo-models';
import { REPO_ROOT } from '../support/server-process';

/** Which of `paths` (relative to the repository) git ignores, by asking git itself. */
function ignored(paths: readonly string[]): string[] {
  try {
    const out = execFileSync('git', ['check-ignore', '--no-index', ...paths], { cwd: REPO_ROOT, encoding: 'utf8' });
    return out.split('\n').filter((line) => line !== '');
  } catch (error) {
    // Exit status 1: none of them is ignored.
    if ((error as { status?: number }).status === 1) {
      return [];
    }
    throw error;
  }
}

const hasGit = fs.existsSync(path.join(REPO_ROOT, '.git'));
const itWithGit = hasGit ? it : it.skip;

describe('the default workspace in git: what the server writes there stays out, the shipped demo models stay in', () => {
  itWithGit('ignores uploaded models, new versions of the demo models, manifests, staging and the registry', () => {
    const written = [
      'workspace/models/my_model/1/model.onnx',
      'workspace/models/my_model/1/config_aiaa.json',
      'workspace/models/spleen_ct_threshold/2/model.onnx',
      'workspace/models/spleen_ct_threshold/1/version.json',
      'workspace/models/spleen_ct_threshold/.incomplete-1-1700000000000/model.onnx',
      'workspace/staging/trash-0a1b2c/trash.json',
      'workspace/aiaa.sqlite',
      'workspace/logs/aiaa.log.1',
      'workspace/sessions/0f6e6a4c-3c1e-4d8e-9b1a-2f4c5d6e7f80/image.nii.gz',
    ];
    expect(ignored(written)).toEqual(written);
  });

  itWithGit('tracks the shipped models as version 1 of each: the demos and the brain MRI networks', () => {
    const brainNetworks: Record<string, string> = {
      brain_mri_meshnet_gwm: 'niivue_meshnet_gwm.onnx',
      brain_mri_skullstrip_mindgrab: 'brainchop_mindgrab_skullstrip.onnx',
      brain_mri_subcortical_18cls: 'brainchop_subcortical_gwm_18cls.onnx',
    };
    const shipped = [
      ...DEMO_MODEL_NAMES.flatMap((name) => [
        `workspace/models/${name}/1/config_aiaa.json`,
        `workspace/models/${name}/1/model.onnx`,
      ]),
      ...BRAIN_MODEL_NAMES.flatMap((name) => [
        `workspace/models/${name}/1/NOTICE.md`,
        `workspace/models/${name}/1/config_aiaa.json`,
        `workspace/models/${name}/1/${brainNetworks[name] ?? ''}`,
      ]),
    ];
    expect(ignored([...shipped, 'workspace/models/README.md'])).toEqual([]);
    const tracked = execFileSync('git', ['ls-files', 'workspace/models'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(
      tracked
        .split('\n')
        .filter((line) => line !== '')
        .sort(),
    ).toEqual([...shipped, 'workspace/models/.gitkeep', 'workspace/models/README.md'].sort());
  });
});
