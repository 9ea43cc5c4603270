import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DT_UINT8, errorMessage, sendPyMultipart, writeTestNifti, type RawReply } from '../support/inference-helpers';
import { useTestApp, type TestApp } from '../support/test-app';

/** The mask the official Python client sends in its own mask2polygon test (392×392×210 uint16, qform only). */
const CLIENT_MASK = path.join(__dirname, '../fixtures', 'aiaa_client_mask2polygon_input.nii.gz');

// A 5×4×2 uint8 mask: slice 0 holds a 3×2 rectangle at x 1..3, y 1..2; slice 1 is empty.
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

describe('POST /v1/mask2polygon (real app, real HTTP on 127.0.0.1)', () => {
  const t = useTestApp();

  it('answers plain JSON with Content-Length: per slice, per polygon, the [x, y] corners clockwise', async () => {
    const reply = await mask2polygon(t, { more_points: 0 }, RECT_FILE);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(json(reply)).toEqual([
      [
        [
          [1, 1],
          [3, 1],
          [3, 2],
          [1, 2],
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
          [2, 1],
          [3, 1],
          [3, 2],
          [2, 2],
          [1, 2],
        ],
      ],
      [],
    ]);
  });

  it("outlines the official client's test mask: polygons exactly on the non-empty slices, vertices on the mask", async () => {
    const content = await fs.readFile(CLIENT_MASK);
    const reply = await mask2polygon(t, { more_points: 1 }, content);
    expect(reply.status).toBe(200);
    const slices = json(reply) as number[][][][];
    // The voxels, read straight from the file by the NIfTI-1 layout (uint16 little endian, vox_offset from the header).
    const raw = gunzipSync(content);
    const [sx, sy, sz] = [raw.readInt16LE(42), raw.readInt16LE(44), raw.readInt16LE(46)];
    const offset = Math.round(raw.readFloatLE(108));
    const voxels = new Uint16Array(Uint8Array.prototype.slice.call(raw, offset, offset + 2 * sx * sy * sz).buffer);
    expect(slices).toHaveLength(sz);
    const expectedNonEmpty: number[] = [];
    const answeredNonEmpty: number[] = [];
    let offMask = 0;
    let vertices = 0;
    for (let z = 0; z < sz; z++) {
      const slice = voxels.subarray(z * sx * sy, (z + 1) * sx * sy);
      if (slice.some((v) => v !== 0)) {
        expectedNonEmpty.push(z);
      }
      const polygons = slices[z] ?? [];
      if (polygons.length > 0) {
        answeredNonEmpty.push(z);
      }
      for (const polygon of polygons) {
        for (const [x, y] of polygon) {
          vertices++;
          offMask += slice[(x as number) + sx * (y as number)] === 0 ? 1 : 0;
        }
      }
    }
    expect(answeredNonEmpty).toEqual(expectedNonEmpty);
    expect(vertices).toBeGreaterThan(0);
    expect(offMask).toBe(0);
    const nonEmpty = expectedNonEmpty.length;
    expect(nonEmpty).toBeGreaterThan(0);
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
