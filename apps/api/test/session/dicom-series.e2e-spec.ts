import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  COLUMNS,
  EXPECTED_AFFINE,
  IMPLICIT_LE,
  JPEG_BASELINE,
  ROWS,
  SLICES,
  expectedValue,
  expectedVoxels,
  sliceFile,
} from '@aiaa/core/testing';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { InferenceOptions } from '../../src/inference/inference-options';
import {
  DT_INT16,
  DT_UINT8,
  errorMessage,
  parseMultipartReply,
  readTestNifti,
  request,
  sendPyMultipart,
  writeTestNifti,
  type FilePart,
  type RawReply,
} from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { useTestApp, type TestApp } from '../support/test-app';

/** Slices 2, 0, 1 (out of order) as OHIF sends a series: one part per file, image0..image2. */
function seriesParts(order: readonly number[] = [2, 0, 1]): FilePart[] {
  return order.map((k, n) => ({ field: `image${n}`, filename: `IM${k}.dcm`, content: sliceFile(k) }));
}

function putSession(t: TestApp, files: FilePart[], query = '?expiry=60'): Promise<RawReply> {
  return sendPyMultipart('PUT', `${t.base}/session/${query}`, { params: '{}' }, files);
}

function json(reply: RawReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

function expectAffine(srow: number[][]): void {
  // srow is stored as float32: 5 decimals hold every entry of the hand-computed affine.
  srow.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(EXPECTED_AFFINE[r]?.[c] as number, 5)));
}

/**
 * A threshold model: window [−850, −750] → [0, 1], then voxel > 0.5, i.e. rescaled value > −800. By the fixture's
 * formula 2·(100k + 10j + i − 7) − 1024 > −800 ⇔ 100k + 10j + i > 119: all of slice 2, rows j ≥ 2 of slice 1.
 */
const THRESHOLD_CONFIG = {
  version: 1,
  type: 'segmentation',
  labels: ['bright'],
  description: 'threshold at -800',
  pre_transforms: [
    { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: -850, a_max: -750, b_min: 0, b_max: 1, clip: true } },
  ],
  inference: { input: 'image', output: 'model' },
  post_transforms: [{ name: 'ArgmaxAcrossChannels', args: { fields: 'model' } }],
  writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
};

function expectedMask(): number[] {
  const out: number[] = [];
  for (let k = 0; k < SLICES; k++) {
    for (let j = 0; j < ROWS; j++) {
      for (let i = 0; i < COLUMNS; i++) {
        out.push(k === 2 || (k === 1 && j >= 2) ? 1 : 0);
      }
    }
  }
  return out;
}

describe('PUT /session/ with a DICOM series as image0..N (real app, real HTTP on 127.0.0.1, real onnxruntime)', () => {
  const t = useTestApp();

  beforeAll(async () => {
    const upload = await putModel(t.base, 'threshold', {
      config: configPart(THRESHOLD_CONFIG),
      data: { data: Buffer.from(buildThresholdSegmenter({ threshold: 0.5 })), filename: 'model.onnx' },
    });
    if (upload.status !== 200) {
      throw new Error(`PUT /admin/model/threshold: ${upload.status} ${await upload.text()}`);
    }
  }, 60_000);

  it('assembles slices sent out of order into one NIfTI session image with the hand-computed voxels and affine', async () => {
    const reply = await putSession(t, seriesParts());
    expect(reply.status).toBe(200);
    const created = json(reply);
    expect(created['name']).toBe('1.2.826.0.1.3680043.2.1125.77.nii.gz');
    expect(created['image']).toEqual({
      size: [COLUMNS, ROWS, SLICES],
      spacing_mm: [0.75, 0.5, 2.5],
      channels: 1,
      dtype: 'int16',
    });

    const id = String(created['session_id']);
    const details = await request('GET', `${t.base}/session/${id}`);
    expect(details.status).toBe(200);
    expect(json(details)['image']).toEqual(created['image']);

    const stored = await fs.readFile(path.join(t.workspace, 'sessions', id, 'image.nii.gz'));
    expect(created['size_bytes']).toBe(stored.length);
    const nifti = readTestNifti(stored);
    expect(nifti.dims).toEqual([COLUMNS, ROWS, SLICES]);
    expect(nifti.datatype).toBe(DT_INT16);
    expect(nifti.voxels).toEqual(expectedVoxels());
    expectAffine(nifti.srow);
  });

  it('runs a segmentation on the session and answers a mask in the series geometry', async () => {
    const created = json(await putSession(t, seriesParts([1, 2, 0])));
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=threshold&session_id=${String(created['session_id'])}`,
      { params: '{}' },
      [],
    );
    expect(reply.status).toBe(200);
    const image = parseMultipartReply(reply).find((part) => part.filename !== undefined);
    const mask = readTestNifti(image?.body ?? Buffer.alloc(0));
    expect(mask.dims).toEqual([COLUMNS, ROWS, SLICES]);
    expect(mask.datatype).toBe(DT_UINT8);
    expect(mask.voxels).toEqual(expectedMask());
    expectAffine(mask.srow);
    // The boundary of the mask follows the values: (i, j, k) = (0, 2, 1) is −798, (4, 1, 1) is −810.
    expect([expectedValue(1, 2, 0), expectedValue(1, 1, 4)]).toEqual([-798, -810]);
  });

  it('stores the series as .nii when save_as says so (as OHIF asks)', async () => {
    const reply = await putSession(t, seriesParts(), '?expiry=60&save_as=.nii');
    expect(reply.status).toBe(200);
    const stored = await fs.readFile(
      path.join(t.workspace, 'sessions', String(json(reply)['session_id']), 'image.nii'),
    );
    expect(stored.readInt32LE(0)).toBe(348);
    expect(readTestNifti(stored).voxels).toEqual(expectedVoxels());
  });

  it('accepts a single DICOM file as image (a one-slice series) and implicit VR slices', async () => {
    const one = await putSession(t, [{ field: 'image', filename: 'IM0.dcm', content: sliceFile(0) }]);
    expect(one.status).toBe(200);
    expect((json(one)['image'] as { size: number[] }).size).toEqual([COLUMNS, ROWS, 1]);

    const implicit = await putSession(
      t,
      [0, 2, 1].map((k, n) => ({ field: `image${n}`, filename: `IM${k}.dcm`, content: sliceFile(k, {}, IMPLICIT_LE) })),
    );
    expect(implicit.status).toBe(200);
    const id = String(json(implicit)['session_id']);
    const stored = await fs.readFile(path.join(t.workspace, 'sessions', id, 'image.nii.gz'));
    expect(readTestNifti(stored).voxels).toEqual(expectedVoxels());
  });

  describe('refuses', () => {
    it('a NIfTI file mixed into a series, naming the part', async () => {
      const nifti = writeTestNifti({ dims: [2, 2, 1], datatype: DT_INT16, voxels: new Int16Array(4) });
      const reply = await putSession(t, [
        ...seriesParts([0, 1]),
        { field: 'image2', filename: 'ct.nii', content: nifti },
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/^multipart file part 'image2' \(ct\.nii\): not a DICOM Part 10 file/);
    });

    it('a compressed slice, naming the part and the transfer syntax', async () => {
      const parts = seriesParts([0, 1]);
      parts.push({ field: 'image2', filename: 'IM2.dcm', content: sliceFile(2, {}, JPEG_BASELINE) });
      const reply = await putSession(t, parts);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(
        /^multipart file part 'image2' \(IM2\.dcm\): transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50 is not supported/,
      );
    });

    it('slices of two series, naming the first part that differs', async () => {
      const parts = seriesParts([0, 1]);
      parts.push({ field: 'image2', filename: 'other.dcm', content: sliceFile(2, { seriesUid: '1.2.3' }) });
      const reply = await putSession(t, parts);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/^multipart file part 'image2' \(other\.dcm\): SeriesInstanceUID "1\.2\.3"/);
    });

    it('a save_as that is not NIfTI', async () => {
      const reply = await putSession(t, seriesParts(), '?expiry=60&save_as=.nrrd');
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/'save_as'/);
    });

    it('a series over the session disk budget with 503, and no session is made', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxSessionBytes;
      const sessionsBefore = (await fs.readdir(path.join(t.workspace, 'sessions'))).length;
      // The NIfTI of the series is larger than 100 bytes (a 352-byte header alone).
      options.maxSessionBytes = 100;
      try {
        const reply = await putSession(t, seriesParts());
        expect(reply.status).toBe(503);
        expect(errorMessage(reply)).toMatch(/storage full/);
      } finally {
        options.maxSessionBytes = saved;
      }
      expect((await fs.readdir(path.join(t.workspace, 'sessions'))).length).toBe(sessionsBefore);
    });

    it('more slices than the file part limit, naming the first part over it', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxFiles;
      options.maxFiles = 2;
      try {
        const reply = await putSession(t, seriesParts());
        expect(reply.status).toBe(400);
        expect(errorMessage(reply)).toBe(
          "multipart file part 'image2': only 2 file part(s) accepted, already got 'image0'",
        );
      } finally {
        options.maxFiles = saved;
      }
    });

    it('a series whose pixels exceed the image size limit with 413', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxImageBytes;
      // Two slices of 4 × 5 int16 pixels hold 80 bytes.
      options.maxImageBytes = 79;
      try {
        const reply = await putSession(t, seriesParts());
        expect(reply.status).toBe(413);
        expect(errorMessage(reply)).toBe(
          'DICOM series: the pixels of 2 of 3 slices already need 80 bytes, over the 79-byte image limit',
        );
      } finally {
        options.maxImageBytes = saved;
      }
    });

    it('a series on /v1/segmentation (one file only there), naming the second part', async () => {
      const reply = await sendPyMultipart(
        'POST',
        `${t.base}/v1/segmentation?model=threshold`,
        { params: '{}' },
        seriesParts(),
      );
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/^multipart file part 'image1': only 1 file part\(s\) accepted/);
    });
  });
});
