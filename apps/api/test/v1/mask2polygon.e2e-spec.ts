import { DT_UINT8, errorMessage, sendPyMultipart, writeTestNifti, type RawReply } from '../support/inference-helpers';
import { useTestApp, type TestApp } from '../support/test-app';

// A 5×4×2 uint8 mask (i fastest): slice 0 holds voxels i = 1..3, j = 1..2; slice 1 is empty. As AIAA reads a NIfTI
// slice (rows y = i, columns x = j), that is rows 1..3 and columns 1..2. The official client's own mask is tested in
// polygon-official-data.e2e-spec.ts.
const RECT = new Uint8Array(40);
for (const y of [1, 2]) {
  for (const x of [1, 2, 3]) {
    RECT[y * 5 + x] = 1;
  }
}
const RECT_FILE = writeTestNifti({ dims: [5, 4, 2], datatype: DT_UINT8, voxels: RECT });

function mask2polygon(t: TestApp, params: unknown, content: Buffer, field = 'datapoint'): Promise<RawReply> {
  return sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: JSON.stringify(params) }, [
    { field, filename: 'mask.nii.gz', content },
  ]);
}

const json = (reply: RawReply): unknown => JSON.parse(reply.body.toString('utf8'));

// Real servers on a shared machine: the client's 32 M-voxel mask takes seconds on a loaded CPU.
jest.setTimeout(30_000);
describe('POST /v1/mask2polygon (real app, real HTTP on 127.0.0.1)', () => {
  const t = useTestApp();

  it('answers plain JSON with Content-Length: per slice, per polygon, the [x, y] = [j, i] corners', async () => {
    const reply = await mask2polygon(t, { more_points: 0 }, RECT_FILE);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    // Counter-clockwise with y down, as the official client's polygons run: down the left side first.
    expect(json(reply)).toEqual([
      [
        [
          [1, 1],
          [1, 3],
          [2, 3],
          [2, 1],
        ],
      ],
      [],
    ]);
  });

  it('keeps every outline pixel with more_points 8', async () => {
    const reply = await mask2polygon(t, { more_points: 8 }, RECT_FILE, 'image');
    expect(json(reply)).toEqual([
      [
        [
          [1, 1],
          [1, 2],
          [1, 3],
          [2, 3],
          [2, 2],
          [2, 1],
        ],
      ],
      [],
    ]);
  });

  describe('bad requests', () => {
    it('400 without a mask file, naming datapoint', async () => {
      const reply = await sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: '{}' }, []);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'datapoint'");
    });

    it('400 for a more_points that is not a whole number, naming params.more_points', async () => {
      for (const morePoints of [-1, 1.5, 'many']) {
        const reply = await mask2polygon(t, { more_points: morePoints }, RECT_FILE);
        expect(reply.status).toBe(400);
        expect(errorMessage(reply)).toContain('params.more_points');
      }
    });

    it('400 for a file that is not NIfTI', async () => {
      const reply = await mask2polygon(
        t,
        {},
        Buffer.from('this is not a NIfTI file, just some text long enough'.repeat(10)),
      );
      expect(reply.status).toBe(400);
    });
  });
});
