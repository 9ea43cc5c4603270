// The spleen label written as a DICOM SEG referencing the spleen CT series in Orthanc, read back with dicom-parser
// (an independent reader), stored with STOW-RS and found with QIDO-RS; Orthanc's own index checks the references.
import { join } from 'node:path';
import * as dicomParser from 'dicom-parser';
import { FIXTURES, SPLEEN, type SpleenPacs, startSpleenPacs } from '../../../test/support/spleen-pacs';
import { DicomwebClient } from '../../dicomweb/dicomweb-client';
import { segSourceFromMetadata } from '../../dicomweb/seg-source';
import { orthancMissingReason } from '../../dicomweb/testing/orthanc-server';
import { InvalidInputError } from '../../errors';
import { MedicalImage } from '../../image/medical-image';
import { readNifti } from '../../nifti/read-nifti';
import { encodeDicomSeg } from './encode-dicom-seg';
import type { SegSourceSeries } from './seg-geometry';

const missing = orthancMissingReason();
const describeWithOrthanc = missing ? describe.skip : describe;
if (missing) {
  it.skip(`DICOM SEG against Orthanc: skipped, ${missing}`, () => undefined);
}

/** nibabel: the spleen label (uint8, 0/1) has voxels in k slices 8–27 of 32. */
const SPLEEN_SLICES = Array.from({ length: 20 }, (_, n) => n + 8);
const SLICE = 512 * 512;

describeWithOrthanc('DICOM SEG of the spleen label against Orthanc', () => {
  let pacs: SpleenPacs;
  let client: DicomwebClient;
  let label: MedicalImage;
  let source: SegSourceSeries;

  beforeAll(async () => {
    pacs = await startSpleenPacs();
    client = new DicomwebClient({ url: pacs.orthanc.dicomwebUrl, auth: pacs.orthanc.auth });
    label = await readNifti(join(FIXTURES, 'spleen_8_label.nii.gz'));
    source = segSourceFromMetadata(
      SPLEEN.seriesUid,
      await client.retrieveSeriesMetadata(SPLEEN.studyUid, SPLEEN.seriesUid),
    );
  }, 60_000);
  afterAll(async () => {
    await pacs?.orthanc.stop();
  }, 30_000);

  it('reads the source series from WADO-RS metadata', () => {
    expect(source.study.instanceUid).toBe(SPLEEN.studyUid);
    expect(source.frameOfReferenceUid).toBe(SPLEEN.frameOfReferenceUid);
    expect(source.patient).toEqual({ name: SPLEEN.patientName, id: SPLEEN.patientId });
    expect(source.instances).toHaveLength(32);
  });

  it('writes one bit-packed frame per label slice, each on its source instance, as dicom-parser reads it', async () => {
    const seg = await encodeDicomSeg(label, source, { segments: [{ value: 1, label: 'spleen' }] });
    const data = dicomParser.parseDicom(seg.bytes);
    expect(data.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(data.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(data.string('x00080060')).toBe('SEG');
    expect(data.string('x0020000d')).toBe(SPLEEN.studyUid);
    expect(data.string('x00200052')).toBe(SPLEEN.frameOfReferenceUid);
    expect(data.string('x00620001')).toBe('BINARY');
    expect([data.uint16('x00280010'), data.uint16('x00280011'), data.uint16('x00280100')]).toEqual([512, 512, 1]);
    expect(data.intString('x00280008')).toBe(SPLEEN_SLICES.length);
    const segment = data.elements['x00620002']?.items?.[0]?.dataSet;
    expect([segment?.uint16('x00620004'), segment?.string('x00620005')]).toEqual([1, 'spleen']);
    const referenced = data.elements['x00081115']?.items?.[0]?.dataSet;
    expect(referenced?.string('x0020000e')).toBe(SPLEEN.seriesUid);
    expect(referenced?.elements['x0008114a']?.items).toHaveLength(32);

    const pixelData = data.elements['x7fe00010'] as dicomParser.Element;
    expect(pixelData.length).toBe(Math.ceil((SPLEEN_SLICES.length * SLICE) / 8));
    const frames = data.elements['x52009230']?.items ?? [];
    expect(frames).toHaveLength(SPLEEN_SLICES.length);
    frames.forEach((frame, f) => {
      const item = (tag: string): dicomParser.DataSet | undefined => frame.dataSet?.elements[tag]?.items?.[0]?.dataSet;
      const sourceImage = item('x00089124')?.elements['x00082112']?.items?.[0]?.dataSet;
      // Our series puts NIfTI slice k in instance k + 1 at z = −112.5 + 7.5 k (LPS z = RAS z).
      const k = SPLEEN_SLICES[f] as number;
      expect(sourceImage?.string('x00081155')).toBe(`${SPLEEN.seriesUid}.${k + 1}`);
      expect(item('x00209113')?.floatString('x00200032', 2)).toBeCloseTo(-112.5 + 7.5 * k, 4);
      expect(item('x0062000a')?.uint16('x0062000b')).toBe(1);
      // The frame's bits, LSB first, continuing from the previous frame, against the label slice.
      const bits = data.byteArray.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
      let mismatches = 0;
      for (let n = 0; n < SLICE; n++) {
        const bit = f * SLICE + n;
        const set = ((bits[bit >>> 3] as number) >> (bit & 7)) & 1;
        mismatches += set === (label.voxels[k * SLICE + n] === 1 ? 1 : 0) ? 0 : 1;
      }
      expect(mismatches).toBe(0);
    });
  });

  it('is stored by STOW-RS, found by QIDO-RS in the study, and Orthanc indexes its reference to the CT', async () => {
    const seg = await encodeDicomSeg(label, source, {
      segments: [{ value: 1, label: 'spleen' }],
      seriesDescription: 'spleen label',
    });
    const stored = await client.store([seg.bytes], { studyUid: SPLEEN.studyUid });
    expect(stored).toEqual([
      expect.objectContaining({ sopInstanceUid: seg.sopInstanceUid, sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4' }),
    ]);
    const series = await client.searchSeries({ Modality: 'SEG' }, SPLEEN.studyUid);
    expect(series).toEqual([
      expect.objectContaining({
        seriesInstanceUid: seg.seriesInstanceUid,
        modality: 'SEG',
        seriesDescription: 'spleen label',
        patientId: SPLEEN.patientId,
        numberOfInstances: 1,
      }),
    ]);
    const [found] = (await (
      await pacs.orthanc.rest('/tools/lookup', { method: 'POST', body: seg.sopInstanceUid })
    ).json()) as { ID: string }[];
    const tags = (await (await pacs.orthanc.rest(`/instances/${found?.ID}/tags?simplify`)).json()) as {
      NumberOfFrames: string;
      ReferencedSeriesSequence: { SeriesInstanceUID: string }[];
      SegmentSequence: { SegmentLabel: string }[];
    };
    expect(tags.NumberOfFrames).toBe(String(SPLEEN_SLICES.length));
    expect(tags.ReferencedSeriesSequence[0]?.SeriesInstanceUID).toBe(SPLEEN.seriesUid);
    expect(tags.SegmentSequence.map((s) => s.SegmentLabel)).toEqual(['spleen']);
  });

  describe('refuses', () => {
    it('a label that is not on the series grid, naming the slice counts', async () => {
      const half = new MedicalImage({
        voxels: new Uint8Array(16 * SLICE),
        shape: [16, 512, 512],
        shapeFormat: 'DHW',
        affine: label.affine,
      });
      await expect(encodeDicomSeg(half, source)).rejects.toThrow(
        new InvalidInputError(`DICOM SEG: the label has 16 slices but series ${SPLEEN.seriesUid} has 32 instances`),
      );
    });

    it('a label shifted off the series slices, naming the slice and position', async () => {
      const affine = Float64Array.from(label.affine);
      affine[11] = (affine[11] as number) + 3; // z origin 3 mm up: between source slices
      const shifted = new MedicalImage({ voxels: label.voxels, shape: label.shape, shapeFormat: 'DHW', affine });
      await expect(encodeDicomSeg(shifted, source)).rejects.toThrow(
        /^DICOM SEG: label slice 0 at \[.*,-109\.5\] \(LPS mm\) lies on no instance/,
      );
    });
  });
});
