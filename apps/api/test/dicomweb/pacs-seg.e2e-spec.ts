import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { DicomwebClient } from '@aiaa/core';
import { readTestNifti } from '../support/inference-helpers';
import { useTestApp } from '../support/test-app';
import { copyDemoModels } from '../monailabel/monailabel-support';
import { ORTHANC_MISSING, SIZE, SLICE_VOXELS, SPLEEN, SPLEEN_CT, useSpleenPacs } from './pacs-support';

jest.setTimeout(60_000);

const describeWithOrthanc = ORTHANC_MISSING ? describe.skip : describe;
if (ORTHANC_MISSING) {
  it.skip(`DICOM SEG results on a PACS: skipped, ${ORTHANC_MISSING}`, () => undefined);
}

const UID = SPLEEN.seriesUid;
const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
/** Debian's python3-pydicom lives under the system Python (the first python3 on PATH may be another). */
const SYSTEM_PYTHON = '/usr/bin/python3';

function infer(base: string, image: string, params: object, output: string): Promise<Response> {
  const form = new FormData();
  form.append('params', JSON.stringify(params));
  return fetch(`${base}/infer/spleen_ct_threshold?image=${encodeURIComponent(image)}&output=${output}`, {
    method: 'POST',
    body: form,
  });
}

async function message(reply: Response): Promise<string> {
  return ((await reply.json()) as { message: string }).message;
}

/** pydicom's view of a SEG file, or why it cannot be had here. */
function pydicomReport(file: string): Promise<Record<string, unknown>> {
  const script = [
    'import json, sys, pydicom',
    'ds = pydicom.dcmread(sys.argv[1])',
    'px = ds.pixel_array',
    'print(json.dumps({"sop_class": str(ds.SOPClassUID), "frames": int(ds.NumberOfFrames),',
    ' "labels": [str(s.SegmentLabel) for s in ds.SegmentSequence],',
    ' "referenced_series": str(ds.ReferencedSeriesSequence[0].SeriesInstanceUID),',
    ' "sources": [str(f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)',
    '             for f in ds.PerFrameFunctionalGroupsSequence],',
    ' "sums": [int(px[f].sum()) for f in range(px.shape[0])]}))',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(SYSTEM_PYTHON, ['-c', script, file], { timeout: 60_000 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(JSON.parse(out) as Record<string, unknown>),
    );
  });
}

/** Why pydicom (with numpy, for the pixels) cannot read SEGs here, or undefined when it can. */
function pydicomMissingReason(): string | undefined {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import pydicom, numpy'], { stdio: 'ignore', timeout: 30_000 });
    return undefined;
  } catch {
    return `pydicom and numpy are not importable by ${SYSTEM_PYTHON} (apt-get install python3-pydicom)`;
  }
}

describeWithOrthanc('Results back to the PACS: a DICOM SEG referencing the series (Orthanc)', () => {
  const pacs = useSpleenPacs();
  const t = useTestApp(
    () => pacs.settings(),
    (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']),
  );
  /** The mask of the series, on the series' grid (k from the top slice), read by the test's NIfTI reader. */
  let mask: number[];
  /** Foreground voxels of the mask in series slice s. */
  const foregroundOf = (s: number): number => {
    let sum = 0;
    for (let n = 0; n < SLICE_VOXELS; n++) {
      sum += mask[s * SLICE_VOXELS + n] as number;
    }
    return sum;
  };

  beforeAll(async () => {
    const reply = await infer(t.base, UID, { result_extension: '.nii', result_dtype: 'uint8' }, 'image');
    expect(reply.status).toBe(200);
    mask = readTestNifti(Buffer.from(await reply.arrayBuffer())).voxels;
  }, 60_000);

  it('answers output=dicom_seg with a SEG that dicom-parser reads: its segment, references and frames', async () => {
    const reply = await infer(t.base, UID, { label_info: [{ name: 'soft tissue', id: 1 }] }, 'dicom_seg');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/dicom');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="result.dcm"');
    const data = dicomParser.parseDicom(new Uint8Array(await reply.arrayBuffer()));
    expect(data.string('x00080016')).toBe(SEGMENTATION_STORAGE);
    expect(data.string('x00080060')).toBe('SEG');
    expect(data.string('x0020000d')).toBe(SPLEEN.studyUid);
    expect(data.string('x00100020')).toBe(SPLEEN.patientId);
    expect(data.string('x00200052')).toBe(SPLEEN.frameOfReferenceUid);
    const segment = data.elements['x00620002']?.items?.[0]?.dataSet;
    expect([segment?.uint16('x00620004'), segment?.string('x00620005'), segment?.string('x00620009')]).toEqual([
      1,
      'soft tissue',
      'spleen_ct_threshold',
    ]);
    expect(data.elements['x00081115']?.items?.[0]?.dataSet?.string('x0020000e')).toBe(UID);

    // One frame per slice holding foreground, each naming its source instance; its bits are the mask's slice.
    const withForeground = Array.from({ length: SIZE[2] }, (_, s) => s).filter((s) => foregroundOf(s) > 0);
    const frames = data.elements['x52009230']?.items ?? [];
    expect(frames).toHaveLength(withForeground.length);
    const pixelData = data.elements['x7fe00010'] as dicomParser.Element;
    const bits = data.byteArray.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
    frames.forEach((frame, f) => {
      const derivation = frame.dataSet?.elements['x00089124']?.items?.[0]?.dataSet;
      const sop = derivation?.elements['x00082112']?.items?.[0]?.dataSet?.string('x00081155') ?? '';
      // Instance k + 1 holds NIfTI slice k, which is series slice 31 − k.
      const k = Number(sop.slice(UID.length + 1)) - 1;
      const s = SIZE[2] - 1 - k;
      let mismatches = 0;
      for (let n = 0; n < SLICE_VOXELS; n++) {
        const bit = f * SLICE_VOXELS + n;
        mismatches += (((bits[bit >>> 3] as number) >> (bit & 7)) & 1) === mask[s * SLICE_VOXELS + n] ? 0 : 1;
      }
      expect({ sop, mismatches }).toEqual({ sop: `${UID}.${k + 1}`, mismatches: 0 });
    });
    // Answering a SEG stores nothing.
    const orthanc = new DicomwebClient({ url: pacs.orthanc.dicomwebUrl, auth: pacs.orthanc.auth });
    expect(await orthanc.searchSeries({ Modality: 'SEG' })).toEqual([]);
  });

  const pydicomMissing = pydicomMissingReason();
  (pydicomMissing ? it.skip : it)(
    `is read by pydicom too${pydicomMissing ? ` (skipped: ${pydicomMissing})` : ''}`,
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seg-'));
      try {
        const reply = await infer(t.base, UID, {}, 'dicom_seg');
        const file = path.join(dir, 'result.dcm');
        await fs.writeFile(file, Buffer.from(await reply.arrayBuffer()));
        const report = await pydicomReport(file);
        const sources = report['sources'] as string[];
        expect(report).toMatchObject({ sop_class: SEGMENTATION_STORAGE, referenced_series: UID, labels: ['spleen'] });
        expect(report['frames']).toBe(sources.length);
        expect(report['sums']).toEqual(
          sources.map((sop) => foregroundOf(SIZE[2] - 1 - (Number(sop.slice(UID.length + 1)) - 1))),
        );
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('stores the SEG with STOW-RS on save_seg: QIDO-RS finds it in the study, referencing the series', async () => {
    const reply = await infer(t.base, UID, { save_seg: true }, 'json');
    expect(reply.status).toBe(200);
    const json = (await reply.json()) as { dicom_seg: { StudyInstanceUID: string; SeriesInstanceUID: string } };
    expect(json.dicom_seg).toEqual({
      StudyInstanceUID: SPLEEN.studyUid,
      SeriesInstanceUID: expect.stringMatching(/^2\.25\.\d+$/),
      SOPInstanceUID: expect.stringMatching(/^2\.25\.\d+$/),
    });
    const orthanc = new DicomwebClient({ url: pacs.orthanc.dicomwebUrl, auth: pacs.orthanc.auth });
    expect(await orthanc.searchSeries({ Modality: 'SEG' }, SPLEEN.studyUid)).toEqual([
      expect.objectContaining({
        seriesInstanceUid: json.dicom_seg.SeriesInstanceUID,
        patientId: SPLEEN.patientId,
        seriesDescription: 'spleen_ct_threshold segmentation',
        numberOfInstances: 1,
      }),
    ]);
    const [found] = (await (
      await pacs.orthanc.rest('/tools/lookup', { method: 'POST', body: json.dicom_seg.SeriesInstanceUID })
    ).json()) as { ID: string }[];
    const series = (await (await pacs.orthanc.rest(`/series/${found?.ID}`)).json()) as { Instances: string[] };
    const tags = (await (await pacs.orthanc.rest(`/instances/${series.Instances[0]}/tags?simplify`)).json()) as {
      ReferencedSeriesSequence: { SeriesInstanceUID: string }[];
      SegmentSequence: { SegmentLabel: string }[];
    };
    expect(tags.ReferencedSeriesSequence[0]?.SeriesInstanceUID).toBe(UID);
    expect(tags.SegmentSequence.map((s) => s.SegmentLabel)).toEqual(['spleen']);
    // The SEG is no image to annotate: the datastore still lists the CT series alone.
    expect(await (await fetch(`${t.base}/datastore/`)).json()).toMatchObject({ total: 1 });
  });

  describe('bad input', () => {
    it('refuses a SEG of an image that is no series of the PACS, naming what asked for it', async () => {
      const upload = new FormData();
      upload.append('params', '{}');
      upload.append('file', new Blob([await fs.readFile(SPLEEN_CT)]), 'spleen_8_ct.nii.gz');
      expect((await fetch(`${t.base}/datastore/?image=uploaded`, { method: 'PUT', body: upload })).status).toBe(200);
      const reply = await infer(t.base, 'uploaded', {}, 'dicom_seg');
      expect(reply.status).toBe(400);
      expect(await message(reply)).toBe(
        'output=dicom_seg: a DICOM SEG references the series it was made on; run on a series of the DICOMweb ' +
          "server (?image=<SeriesInstanceUID> with --dicomweb), not on datastore image 'uploaded'",
      );
    });

    it('refuses a save_seg that is not a boolean and a label_info entry without a name, naming the param', async () => {
      const notBoolean = await infer(t.base, UID, { save_seg: 'yes' }, 'json');
      expect(notBoolean.status).toBe(400);
      expect(await message(notBoolean)).toBe('params.save_seg: expected true or false, got "yes"');
      const noName = await infer(t.base, UID, { label_info: [{ id: 1 }] }, 'dicom_seg');
      expect(noName.status).toBe(400);
      expect(await message(noName)).toBe(
        'params.label_info[0]: expected {"name": <text>, "id": <label value ≥ 1>}, got {"id":1}',
      );
    });
  });
});
