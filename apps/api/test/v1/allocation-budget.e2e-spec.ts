import { gzipSync } from 'node:zlib';
import { configPart, pluginConfig, putModel, writePassThroughPlugin } from '../support/admin-client';
import { listing } from '../support/hardening-support';
import { DT_UINT8, errorMessage, sendPyMultipart, writeTestNifti } from '../support/inference-helpers';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;

/** A 2×2×2 uint8 volume of 1000 mm voxels: 360 bytes on the wire, 2000³ voxels once resampled to 1 mm. */
const COARSE = writeTestNifti({
  dims: [2, 2, 2],
  datatype: DT_UINT8,
  voxels: new Uint8Array(8),
  spacing: [1000, 1000, 1000],
});

/** A 3-D fixpolygon edit of one triangle on slice 0. */
const EDIT = {
  poly: [
    [
      [
        [1, 1],
        [5, 1],
        [5, 5],
      ],
    ],
  ],
  vertex_offset: [1, 1],
  dimension: 3,
  slice_index: 0,
  polygon_index: 0,
  vertex_index: 0,
};

/**
 * An 8192×8192×2 uint8 reference whose voxels are all sent, gzipped (about 130 kB): made before the app starts, so that
 * no long pause leaves a kept-alive connection to time out between requests.
 */
const WIDE_REFERENCE = ((): Buffer => {
  const dims: [number, number, number] = [8192, 8192, 2];
  const header = writeTestNifti({ dims, datatype: DT_UINT8, voxels: new Uint8Array(0) });
  const reference = gzipSync(Buffer.concat([header, Buffer.alloc(dims[0] * dims[1] * dims[2])]), { level: 9 });
  return reference;
})();

/** A 256×256×64 mask of lone pixels (every other pixel of every other row): one polygon per pixel. */
const LONE_PIXELS = ((): Buffer => {
  const [sx, sy, sz] = [256, 256, 64];
  const voxels = new Uint8Array(sx * sy * sz).map((_, i) => (i % 2 === 0 && Math.floor(i / sx) % 2 === 0 ? 1 : 0));
  const mask = gzipSync(writeTestNifti({ dims: [sx, sy, sz], datatype: DT_UINT8, voxels }));
  return mask;
})();

/** The resident memory of this process (the app runs in it), in bytes. */
const rss = (): number => process.memoryUsage().rss;

describe('the per-request allocation budget (--request_budget_mb 64): derived sizes are checked before allocating', () => {
  const t = useTestApp({ requestBudgetMb: 64 }, writePassThroughPlugin);

  beforeAll(async () => {
    const resampling = pluginConfig({
      pre_transforms: [{ name: 'Spacingd', args: { keys: 'image', pixdim: [1, 1, 1], mode: 'bilinear' } }],
    });
    expect((await putModel(t.base, 'resampling', { config: configPart(resampling) })).status).toBe(200);
    const resizing = pluginConfig({
      pre_transforms: [{ name: 'Resized', args: { keys: 'image', spatial_size: 4096, mode: 'nearest' } }],
    });
    expect((await putModel(t.base, 'resizing', { config: configPart(resizing) })).status).toBe(200);
  });

  it('a 360-byte NIfTI asking a resample for 2000³ voxels: 413 naming the step and the size, memory untouched', async () => {
    const before = rss();
    const started = Date.now();
    const reply = await sendPyMultipart('POST', `${t.base}/v1/inference?model=resampling`, { params: '{}' }, [
      { field: 'datapoint', filename: 'coarse.nii', content: COARSE },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toBe(
      "model 'resampling': pre_transforms[0] Spacingd failed: coarse.nii: resampled to 2000×2000×2000 float32 " +
        "needs 29.8 GiB besides the 8 bytes the request holds, over the request's allocation budget of 64 MiB " +
        '(--request_budget_mb)',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rss() - before).toBeLessThan(64 * MiB);
  });

  it('a resize to 4096³ voxels: 413 naming the output shape', async () => {
    const reply = await sendPyMultipart('POST', `${t.base}/v1/inference?model=resizing`, { params: '{}' }, [
      { field: 'datapoint', filename: 'small.nii', content: COARSE },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toContain('pre_transforms[0] Resized failed: small.nii: resampled to 4096×4096×4096');
  });

  it('fixpolygon on an 8192×8192×2 grid (its voxels sent gzipped: 130 kB): 413 naming the mask and the file', async () => {
    expect(WIDE_REFERENCE.length).toBeLessThan(MiB);
    const before = rss();
    const reply = await sendPyMultipart('POST', `${t.base}/v1/fixpolygon`, { params: JSON.stringify(EDIT) }, [
      { field: 'datapoint', filename: 'wide.nii.gz', content: WIDE_REFERENCE },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toBe(
      "the mask on the grid of wide.nii.gz: 2×8192×8192 uint8 needs 128 MiB, over the request's allocation budget of 64 MiB (--request_budget_mb)",
    );
    expect(rss() - before).toBeLessThan(64 * MiB);
  });

  it('fixpolygon on a header without its voxels (a 352-byte file promising 1.9 GB): 400 naming the voxels', async () => {
    const header = writeTestNifti({ dims: [30_000, 30_000, 2], datatype: DT_UINT8, voxels: new Uint8Array(0) });
    const reply = await sendPyMultipart('POST', `${t.base}/v1/fixpolygon`, { params: JSON.stringify(EDIT) }, [
      { field: 'datapoint', filename: 'header-only.nii', content: header },
    ]);
    expect(reply.status).toBe(400);
    expect(errorMessage(reply)).toBe(
      'header-only.nii: voxels: truncated: dim[1..3] = 30000×30000×2 needs 1800000000 voxel bytes from offset 352, the file holds 0',
    );
  });

  it('mask2polygon on a grid of lone pixels (one polygon each): 413 once the outlines pass the budget', async () => {
    const before = rss();
    const reply = await sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: '{}' }, [
      { field: 'datapoint', filename: 'checkers.nii.gz', content: LONE_PIXELS },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toMatch(
      /^the outlines of slices 0\.\.\d+ \(\d+ vertices\) needs .* over the request's allocation budget of 64 MiB/,
    );
    expect(rss() - before).toBeLessThan(256 * MiB);
  });

  it('leaves no request folder behind and keeps serving', async () => {
    expect(await listing(`${t.workspace}/sessions/tmp`)).toEqual([]);
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
  });
});

describe('outputs past 2^32 voxels (--request_budget_mb 100000000): 413, not a 500 from a typed array', () => {
  const t = useTestApp({ requestBudgetMb: 100_000_000 }, writePassThroughPlugin);

  it('names the element count', async () => {
    const config = pluginConfig({ pre_transforms: [{ name: 'Resized', args: { keys: 'image', spatial_size: 4096 } }] });
    expect((await putModel(t.base, 'huge', { config: configPart(config) })).status).toBe(200);
    const reply = await sendPyMultipart('POST', `${t.base}/v1/inference?model=huge`, { params: '{}' }, [
      { field: 'datapoint', filename: 'small.nii', content: COARSE },
    ]);
    expect(reply.status).toBe(413);
    // The output and the resample's scratch between its passes.
    expect(errorMessage(reply)).toMatch(
      /small\.nii: resampled to 4096×4096×4096 float32: 6\.\d\de10 elements, more than the 2\^32 one array can hold$/,
    );
  });
});
