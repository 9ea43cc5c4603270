import * as fs from 'node:fs/promises';
import * as nrrd from 'nrrd-js';
import { readTestNifti } from '../support/inference-helpers';
import { useTestApp } from '../support/test-app';
import { copyDemoModels } from '../monailabel/monailabel-support';
import {
  ORTHANC_MISSING,
  SIZE,
  SPLEEN,
  SPLEEN_CT,
  SPLEEN_LABEL,
  differencesWithKReversed,
  requestsSince,
  useSpleenPacs,
} from './pacs-support';

// A real Orthanc and a real server decoding a 512×512×32 CT on a shared machine.
jest.setTimeout(60_000);

const describeWithOrthanc = ORTHANC_MISSING ? describe.skip : describe;
if (ORTHANC_MISSING) {
  it.skip(`MONAI Label over a PACS: skipped, ${ORTHANC_MISSING}`, () => undefined);
}

const UID = SPLEEN.seriesUid;
const OHIF_ORIGIN = 'http://ohif.example:3000';
/** What OHIF's monai-label extension sends with `output=image`. */
const OHIF_PARAMS = {
  result_extension: '.nrrd',
  result_dtype: 'uint8',
  result_compress: false,
  restore_label_idx: false,
};

async function infer(base: string, image: string, params: object, output = 'image'): Promise<Response> {
  const form = new FormData();
  form.append('params', JSON.stringify(params));
  const url = `${base}/infer/spleen_ct_threshold?image=${encodeURIComponent(image)}&output=${output}`;
  return fetch(url, { method: 'POST', body: form, headers: { origin: OHIF_ORIGIN } });
}

async function nrrdOf(reply: Response): Promise<ReturnType<typeof nrrd.parse>> {
  expect(reply.status).toBe(200);
  return nrrd.parse(await reply.arrayBuffer());
}

describeWithOrthanc(
  'MONAI Label over a PACS (Orthanc): the datastore from QIDO-RS, images by SeriesInstanceUID',
  () => {
    const pacs = useSpleenPacs();
    const t = useTestApp(
      () => pacs.settings({ corsOrigins: OHIF_ORIGIN }),
      (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']),
    );

    it('lists the series from QIDO-RS with the fields OHIF shows, without retrieving it', async () => {
      const from = pacs.relay.requests().length;
      const listing = (await (await fetch(`${t.base}/datastore/?output=all`)).json()) as {
        name: string;
        images_dir: string;
        objects: Record<string, unknown>;
      };
      expect(listing.name).toBe('dicomweb');
      expect(listing.images_dir).toBe(pacs.relay.url);
      expect(listing.objects).toEqual({
        [UID]: {
          image: {
            ext: '.nii',
            info: {
              SeriesInstanceUID: UID,
              StudyInstanceUID: SPLEEN.studyUid,
              PatientID: SPLEEN.patientId,
              PatientName: SPLEEN.patientName,
              Modality: 'CT',
              StudyDate: SPLEEN.studyDate,
              StudyTime: SPLEEN.studyTime,
              SeriesDescription: SPLEEN.seriesDescription,
              SeriesNumber: SPLEEN.seriesNumber,
              NumberOfSeriesRelatedInstances: 32,
              name: `${UID}.nii`,
            },
          },
          labels: {},
        },
      });
      expect(await (await fetch(`${t.base}/datastore/`)).json()).toEqual({
        total: 1,
        completed: 0,
        label_tags: { final: 0, original: 0 },
      });
      const info = (await (await fetch(`${t.base}/info/`)).json()) as { datastore: unknown };
      expect(info.datastore).toEqual({ total: 1, completed: 0, label_tags: { final: 0, original: 0 } });
      expect(requestsSince(pacs.relay, from)).toEqual(Array(3).fill('GET /dicom-web/series'));
    });

    it('answers the next sample (first, random) from QIDO-RS as OHIF reads it', async () => {
      for (const strategy of ['first', 'random']) {
        const next = await fetch(`${t.base}/activelearning/${strategy}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: OHIF_ORIGIN },
          body: '{"client_id": "ohif"}',
        });
        expect(next.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
        expect(await next.json()).toEqual(
          expect.objectContaining({
            id: UID,
            name: `${UID}.nii`,
            strategy,
            StudyInstanceUID: SPLEEN.studyUid,
            PatientID: SPLEEN.patientId,
            Modality: 'CT',
            StudyDate: SPLEEN.studyDate,
            StudyTime: SPLEEN.studyTime,
          }),
        );
      }
    });

    it("segments the series OHIF names by SeriesInstanceUID: voxel for voxel the CT's mask uploaded as NIfTI", async () => {
      const from = pacs.relay.requests().length;
      const fromSeries = await nrrdOf(await infer(t.base, UID, OHIF_PARAMS));
      // One QIDO-RS lookup (the study of the series), one WADO-RS retrieval of the whole series, nothing else.
      expect(requestsSince(pacs.relay, from)).toEqual([
        'GET /dicom-web/series',
        `GET /dicom-web/studies/${SPLEEN.studyUid}/series/${UID}`,
      ]);
      expect(pacs.relay.requests()[from + 1]?.sentBytes).toBeGreaterThan(pacs.seriesBytes);

      const upload = new FormData();
      upload.append('params', '{}');
      upload.append('file', new Blob([await fs.readFile(SPLEEN_CT)]), 'spleen_8_ct.nii.gz');
      expect((await fetch(`${t.base}/datastore/?image=spleen_8_nifti`, { method: 'PUT', body: upload })).status).toBe(
        200,
      );
      const fromNifti = await nrrdOf(await infer(t.base, 'spleen_8_nifti', OHIF_PARAMS));

      expect(fromSeries).toMatchObject({ type: 'uint8', encoding: 'raw', sizes: [...SIZE] });
      expect(fromNifti).toMatchObject({ type: 'uint8', encoding: 'raw', sizes: [...SIZE] });
      let foreground = 0;
      for (let n = 0; n < fromNifti.data.length; n++) {
        foreground += fromNifti.data[n] ?? 0;
      }
      expect(foreground).toBeGreaterThan(100_000);
      // The series holds the CT's HU exactly and the model works slice by slice (a 3×3 in-plane mean, one window along
      // k), so the masks agree exactly once the series' top-to-bottom slice order is turned back: no tolerance.
      expect(differencesWithKReversed(fromSeries.data, fromNifti.data)).toBe(0);
      // Geometry: the series' k axis is the NIfTI's reversed, its origin at the NIfTI's last slice. DICOM writes
      // spacings and positions as decimal strings of 10 significant digits: equal to 1e-4 mm.
      const niftiDirections = fromNifti.spaceDirections as number[][];
      const dk = niftiDirections[2] as number[];
      const expectedDirections = [niftiDirections[0], niftiDirections[1], dk.map((v) => -v)] as number[][];
      (fromSeries.spaceDirections as number[][]).forEach((direction, axis) =>
        direction.forEach((v, a) => expect(v).toBeCloseTo(expectedDirections[axis]?.[a] as number, 4)),
      );
      (fromSeries.spaceOrigin as number[]).forEach((v: number, a: number) =>
        expect(v).toBeCloseTo((fromNifti.spaceOrigin[a] as number) + (SIZE[2] - 1) * (dk[a] as number), 4),
      );
    });

    it('serves the next request on the series from the cache: nothing reaches the PACS', async () => {
      const from = pacs.relay.requests().length;
      const reply = await infer(t.base, UID, {}, 'json');
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ label_names: ['spleen'] });
      expect(requestsSince(pacs.relay, from)).toEqual([]);
    });

    it('downloads the series as an uncompressed NIfTI: the CT voxels, k reversed', async () => {
      const reply = await fetch(`${t.base}/datastore/image?image=${UID}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="${UID}.nii"`);
      const series = readTestNifti(Buffer.from(await reply.arrayBuffer()));
      const ct = readTestNifti(await fs.readFile(SPLEEN_CT));
      expect({ dims: series.dims, datatype: series.datatype }).toEqual({ dims: ct.dims, datatype: ct.datatype });
      expect(differencesWithKReversed(series.voxels, ct.voxels)).toBe(0);
    });

    it('keeps a final label by series UID in the workspace; the next sample then skips the series', async () => {
      const label = await fs.readFile(SPLEEN_LABEL);
      const form = new FormData();
      form.append('params', '{"label_info": [{"name": "spleen", "idx": 1}]}');
      form.append('label', new Blob([label]), 'spleen_8_label.nii.gz');
      const save = await fetch(`${t.base}/datastore/label?image=${UID}&tag=final`, { method: 'PUT', body: form });
      expect(save.status).toBe(200);
      expect(await save.json()).toMatchObject({ image: UID, label: UID, tag: 'final' });
      const back = await fetch(`${t.base}/datastore/label?label=${UID}&tag=final`);
      expect(Buffer.from(await back.arrayBuffer()).equals(label)).toBe(true);
      expect(await (await fetch(`${t.base}/datastore/`)).json()).toEqual({
        total: 2,
        completed: 1,
        label_tags: { final: 1, original: 0 },
      });
      const next = await fetch(`${t.base}/activelearning/first`, { method: 'POST' });
      expect(await next.json()).toMatchObject({ id: 'spleen_8_nifti', name: 'spleen_8_nifti.nii.gz' });
    });

    describe('bad input', () => {
      it('answers 404 naming a series the PACS does not hold, and the PACS', async () => {
        const reply = await infer(t.base, '1.2.3.999', {});
        expect(reply.status).toBe(404);
        expect(((await reply.json()) as { message: string }).message).toBe(
          `series 1.2.3.999 not found on DICOMweb server ${pacs.relay.url}`,
        );
      });

      it('refuses to remove a series of the PACS, naming it', async () => {
        const reply = await fetch(`${t.base}/datastore/image?id=${UID}`, { method: 'DELETE' });
        expect(reply.status).toBe(400);
        expect(((await reply.json()) as { message: string }).message).toBe(
          `image '${UID}': the series of the DICOMweb server ${pacs.relay.url} are not removed through this server`,
        );
      });
    });
  },
);
