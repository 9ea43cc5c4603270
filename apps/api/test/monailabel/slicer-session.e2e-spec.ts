import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { hasPythonCgi } from '../support/python-client';
import { useTestApp } from '../support/test-app';
import { SPLEEN_AFFINE, copyDemoModels, runClientScript } from './monailabel-support';

// Real servers decoding a 512×512×32 CT on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

/** What the client script reports for one result NRRD. */
interface NrrdSummary {
  magic: string;
  type: string;
  encoding: string;
  space: string;
  sizes: number[];
  directions: number[][];
  origin: number[];
  bytes: number;
  values: Record<string, number>;
  expert_overlap: number | null;
  at_clicks: number[];
  part_filename: string;
}

interface SlicerReport {
  auth: { status: number; enabled: boolean | null };
  info: {
    has_config: boolean;
    labels: string[];
    models: Record<string, { type: string; labels: string[]; dimension: number }>;
    strategies: string[];
    datastore: { total: number; completed: number };
  };
  upload: { image: string };
  upload_b: { image: string };
  expert_sizes: number[];
  expert_voxels: number;
  segmentation: NrrdSummary & { label_names: string[]; latencies: string[] };
  deepgrow: NrrdSummary;
  save_label: { image: string; label: string; tag: string };
  datastore: {
    objects: Record<
      string,
      { image: { ext: string }; labels: Record<string, { ext: string; info: Record<string, unknown> }> }
    >;
  };
  next_first: { id: string; name: string; checksum: string };
  next_random: { id: string };
  download_label: { status: number; filename: string; same_bytes: boolean };
  download_image: { status: number; filename: string; bytes: number };
}

const itWithPython = hasPythonCgi() ? it : it.skip;

describe('a 3D Slicer MONAI Label session, played by a Python client as Slicer sends and parses it', () => {
  const t = useTestApp({}, (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold', 'deepgrow_ct_window']));
  let report: SlicerReport;

  beforeAll(async () => {
    if (!hasPythonCgi()) {
      return;
    }
    const workdir = await fs.mkdtemp(path.join(t.workspace, 'client-'));
    report = (await runClientScript('slicer', t.base, workdir)) as SlicerReport;
  }, 180_000);

  // Skipped where python3 lacks the cgi module (Python ≥ 3.13), which MONAI Label's client needs too.
  itWithPython('sees auth off and an /info/ Slicer accepts: typed models, a label list, no top-level config', () => {
    expect(report.auth).toEqual({ status: 200, enabled: false });
    expect(report.info.has_config).toBe(false);
    expect(report.info.models).toEqual({
      deepgrow_ct_window: { type: 'deepgrow', labels: [], dimension: 3 },
      spleen_ct_threshold: { type: 'segmentation', labels: ['spleen'], dimension: 3 },
    });
    expect(report.info.labels).toEqual(['spleen']);
    expect(report.info.strategies).toEqual(['first', 'random']);
    expect(report.info.datastore).toMatchObject({ total: 0, completed: 0 });
  });

  itWithPython('stores the upload under the id Slicer chose, keeping its suffix', async () => {
    expect(report.upload).toEqual({ image: 'spleen_8' });
    expect(report.upload_b).toEqual({ image: 'spleen_8_b' });
    const stored = await fs.readdir(path.join(t.workspace, 'datastore'));
    expect(stored.sort()).toEqual(['labels', 'spleen_8.nii.gz', 'spleen_8_b.nii.gz']);
  });

  itWithPython('answers the segmentation as a gzip uint8 .nrrd on the NIfTI grid of the input, in LPS', () => {
    const seg = report.segmentation;
    expect(seg.part_filename).toBe('result.nrrd');
    expect(seg).toMatchObject({ magic: 'NRRD0004', type: 'uint8', encoding: 'gzip', space: 'left-posterior-superior' });
    expect(seg.sizes).toEqual([512, 512, 32]);
    expect(report.expert_sizes).toEqual([512, 512, 32]);
    expect(seg.bytes).toBe(512 * 512 * 32);
    // NRRD's space directions are the affine's columns and its origin the affine's last column, x and y negated (LPS).
    const lps = [-1, -1, 1];
    for (let axis = 0; axis < 3; axis++) {
      const column = SPLEEN_AFFINE.map((row, r) => (row[axis] as number) * (lps[r] as number));
      expect(seg.directions[axis]?.map((v) => v + 0)).toEqual(column.map((v) => v + 0));
    }
    expect(seg.origin).toEqual(SPLEEN_AFFINE.map((row, r) => (row[3] as number) * (lps[r] as number)));
    expect(Object.keys(seg.values).sort()).toEqual(['0', '1']);
    expect(seg.label_names).toEqual(['spleen']);
    expect(seg.latencies).toEqual(['infer', 'invert', 'post', 'pre', 'total', 'transform', 'write']);
    // The soft-tissue window covers most of the expert's spleen: only with voxels in file order do the two overlap.
    expect(seg.expert_overlap).toBeGreaterThan(0.8 * report.expert_voxels);
  });

  itWithPython(
    'places the IJK deepgrow clicks on the voxels Slicer clicked: the foreground one in, the background one out',
    () => {
      const grow = report.deepgrow;
      expect(grow.sizes).toEqual([512, 512, 32]);
      // Both clicks lie in the spleen where the HU window alone would say "in"; only the click rule says "out" at the
      // background click, so a mismapped click shows at once.
      expect(grow.at_clicks).toEqual([1, 0]);
      expect(grow.values['1']).toBeGreaterThan(100);
    },
  );

  itWithPython('saves the final label, lists it, skips its image for the next sample and hands it back', () => {
    expect(report.save_label).toMatchObject({ image: 'spleen_8', label: 'spleen_8', tag: 'final' });
    const spleen = report.datastore.objects['spleen_8'];
    expect(spleen?.image.ext).toBe('.nii.gz');
    expect(spleen?.labels['final']).toMatchObject({
      ext: '.nii.gz',
      info: { label_info: [{ name: 'spleen', idx: 1 }], model: 'spleen_ct_threshold', client_id: 'user-xyz' },
    });
    expect(report.datastore.objects['spleen_8_b']?.labels).toEqual({});
    expect(report.next_first).toMatchObject({ id: 'spleen_8_b', name: 'spleen_8_b.nii.gz' });
    expect(report.next_first.checksum).toMatch(/^SHA256:[0-9a-f]{64}$/);
    expect(report.next_random.id).toBe('spleen_8_b');
    expect(report.download_label).toEqual({ status: 200, filename: 'spleen_8.nii.gz', same_bytes: true });
    expect(report.download_image.filename).toBe('spleen_8_b.nii.gz');
  });
});
