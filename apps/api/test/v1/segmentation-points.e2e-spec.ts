import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMultipartReply, sendPyMultipart } from '../support/inference-helpers';
import { niftiVoxels, type NiftiVoxels } from '../support/nifti-voxels';
import { DEMO_MODEL_NAMES, copyDemoModels, demoModelDir } from '../support/demo-models';
import { REPO_ROOT } from '../support/server-process';
import { useTestApp } from '../support/test-app';

/**
 * Every segmentation model the repository ships in workspace/models answers `params.points`: the six extreme points
 * of its foreground, [x, y, z] voxel indices of the input grid, as AIAA's segmentation configs (FetchExtremePoints)
 * give them and 3D Slicer and the C++ client read them to seed a DEXTR3D refinement. The shipped models are the list
 * that `workspace-git.e2e-spec.ts` holds against what git tracks, so a model added to the repository is checked too;
 * what a user uploaded into the checkout is not.
 */
const SAMPLES = path.join(REPO_ROOT, 'samples');
const CT = 'spleen_8_ct.nii.gz';
const MRI = 'mri_t1_conformed_256.nii.gz';

/** The shipped sample a model is run on: the head MRI for models that say MRI, brain or T1; the abdominal CT else. */
function sampleFor(name: string, description: string): string {
  return /mri|brain|\bt1\b/i.test(`${name} ${description}`) ? MRI : CT;
}

/**
 * The CT demos and MeshNet (3–8 s). The two whole-volume brain networks (35–90 s and 2–5 GB each) answer their points in
 * `brain-mri.e2e-spec.ts`, which runs them anyway: running them twice would cost CI minutes and prove nothing more.
 */
const CHECKED_HERE = [...DEMO_MODEL_NAMES, 'brain_mri_meshnet_gwm'];

const segmentationModels = CHECKED_HERE.map((name) => {
  const config = JSON.parse(fs.readFileSync(path.join(demoModelDir(name), 'config_aiaa.json'), 'utf8')) as {
    type?: string;
    description?: string;
  };
  return { name, type: config.type, sample: sampleFor(name, config.description ?? '') };
}).filter((model) => model.type === 'segmentation');

/** Smallest and largest index of the non-zero voxels along each axis (i, j, k), computed here from the mask. */
function extent(mask: NiftiVoxels): { lo: number[]; hi: number[] } {
  const [sizeI, sizeJ, sizeK] = mask.dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  for (let k = 0, at = 0; k < sizeK; k++) {
    for (let j = 0; j < sizeJ; j++) {
      for (let i = 0; i < sizeI; i++, at += mask.bytesPerVoxel) {
        if (mask.bytes.subarray(at, at + mask.bytesPerVoxel).some((b) => b !== 0)) {
          [i, j, k].forEach((v, axis) => {
            lo[axis] = Math.min(lo[axis] as number, v);
            hi[axis] = Math.max(hi[axis] as number, v);
          });
        }
      }
    }
  }
  return { lo, hi };
}

// MeshNet runs on a 256³ volume: 3 s on two idle cores, many times that when the suite's other projects share them.
jest.setTimeout(300_000);

describe('every shipped segmentation model answers its extreme points (real app, real HTTP on 127.0.0.1)', () => {
  const t = useTestApp({}, async (workspace) => {
    await copyDemoModels(workspace, CHECKED_HERE);
    await fs.promises.cp(path.join(REPO_ROOT, 'workspace/lib'), path.join(workspace, 'lib'), { recursive: true });
  });

  it('workspace/models ships segmentation models', () => {
    expect(segmentationModels.map((m) => m.name)).toContain('spleen_ct_threshold');
  });

  it.each(segmentationModels.map((m) => [m.name, m.sample] as const))(
    '%s on samples/%s: six points [x, y, z] on the input grid, at the extremes of its mask',
    async (name, sample) => {
      const content = await fs.promises.readFile(path.join(SAMPLES, sample));
      const input = niftiVoxels(content);
      const reply = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=${name}`, { params: '{}' }, [
        { field: 'datapoint', filename: sample, content },
      ]);
      expect({ model: name, status: reply.status }).toEqual({ model: name, status: 200 });
      const parts = parseMultipartReply(reply);
      const params = JSON.parse(parts.find((p) => p.name === 'params')?.body.toString() ?? '{}') as {
        points?: unknown;
      };
      const points = params.points as number[][] | undefined;
      expect({ model: name, pointCount: Array.isArray(points) ? points.length : 'no points' }).toEqual({
        model: name,
        pointCount: 6,
      });
      const mask = niftiVoxels(parts.find((p) => p.filename !== undefined)?.body ?? Buffer.alloc(0));
      expect(mask.dims).toEqual(input.dims);
      const { lo, hi } = extent(mask);
      (points as number[][]).forEach((point, n) => {
        expect(point.every((v, axis) => Number.isInteger(v) && v >= 0 && v < (input.dims[axis] as number))).toBe(true);
        // Points 2a and 2a + 1 are the smallest and largest along axis a (x, y, z); one voxel of slack for a model
        // that measures on a resampled grid before restoring the input's.
        const axis = n >> 1;
        const expected = n % 2 === 0 ? lo[axis] : hi[axis];
        expect({ model: name, point: n, off: Math.abs((point[axis] as number) - (expected as number)) <= 1 }).toEqual({
          model: name,
          point: n,
          off: true,
        });
      });
    },
  );
});
